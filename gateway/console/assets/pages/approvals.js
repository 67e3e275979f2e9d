import { all, post } from '../api.js';
import { describe } from '../app.js';
import { button, h, link, put, section, table, time, toast } from '../dom.js';
import { pageHeader, statusBadge } from './common.js';

export async function render(main) {
  const [pending, connections] = await Promise.all([all('/approvals?status=pending'), all('/connections')]);
  const recent = (await import('../api.js')).get('/approvals?limit=20');
  const names = new Map(connections.map((c) => [c.id, c.name]));
  const decide = (approval, decision) =>
    button(
      decision === 'approve' ? 'Approve' : 'Reject',
      async () => {
        if (
          !confirm(
            `${decision === 'approve' ? 'Approve' : 'Reject'} the held run of ${names.get(approval.connectionId) ?? 'this connection'}?`,
          )
        )
          return;
        try {
          await post(`/approvals/${approval.id}/${decision}`, {});
          toast(
            decision === 'approve' ? 'Approved: the run goes on' : 'Rejected: nothing is disabled or deleted',
          );
          setTimeout(() => location.reload(), 800);
        } catch (e) {
          toast(describe(e), 'error');
        }
      },
      {
        class: decision === 'approve' ? '' : 'secondary',
        'aria-label': `${decision} run of ${names.get(approval.connectionId) ?? ''}`,
      },
    );
  put(
    main,
    pageHeader('Approvals'),
    section(
      'Held runs',
      table(
        'Held runs',
        [
          ['Held since', (a) => time(a.createdAt)],
          ['Connection', (a) => names.get(a.connectionId) ?? a.connectionId],
          ['Why', (a) => a.reason],
          [
            'Would',
            (a) =>
              h(
                'ul',
                { class: 'plain' },
                (a.summary.sample ?? [])
                  .slice(0, 5)
                  .map((s) => h('li', {}, `${s.action} ${s.label ?? s.external_id ?? ''}`)),
              ),
          ],
          ['Run', (a) => link(`#/runs/${a.runId}`, 'open')],
          ['Decide', (a) => h('div', { class: 'actions' }, decide(a, 'approve'), decide(a, 'reject'))],
        ],
        pending,
        'No run is waiting for approval.',
      ),
    ),
    section(
      'Recent decisions',
      table(
        'Recent approvals',
        [
          ['Held', (a) => time(a.createdAt)],
          ['Connection', (a) => names.get(a.connectionId) ?? a.connectionId],
          ['Status', (a) => statusBadge(a.status)],
          ['By', (a) => a.decidedBy ?? '—'],
        ],
        (await recent).items.filter((a) => a.status !== 'pending'),
        'No decision yet.',
      ),
    ),
  );
}
