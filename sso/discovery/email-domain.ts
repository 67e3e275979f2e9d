/** Lower-cased address and domain of something typed as an email, or undefined when it is not one. */
export function parseEmail(input: string): { email: string; domain: string } | undefined {
  const email = input.trim().toLowerCase();
  if (email.length > 320) return undefined;
  const match =
    /^[^\s@"<>()[\],;:\\]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/.exec(
      email,
    );
  return match?.[1] ? { email, domain: match[1] } : undefined;
}

/** `a.b.example.com` → [`a.b.example.com`, `b.example.com`, `example.com`] (never a bare TLD). */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i += 1) out.push(labels.slice(i).join('.'));
  return out;
}
