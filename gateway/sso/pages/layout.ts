import { html, trusted, type Html } from './html.js';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:2rem}
main.wide{max-width:52rem}
h1{font-size:1.35rem;margin:0 0 1rem}
p{line-height:1.5}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #b8bfcc;border-radius:4px;font-size:1rem}
button{margin-top:1rem;width:100%;padding:.65rem;border:0;border-radius:4px;background:#2450d6;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#e8ebf2;color:#1d2330}
.error{background:#fdecec;border-left:4px solid #c62828;padding:.6rem .8rem;margin-bottom:1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem;list-style:none;padding:0}
.tiles a{display:block;padding:1.2rem;border:1px solid #d5dae3;border-radius:6px;text-decoration:none;color:inherit}
.muted{color:#5b6472;font-size:.9rem}
`;

/** The one page frame every sign-in screen uses. `nonce` authorises the inline style and script (CSP). */
/** `script` must be a constant of this codebase: it is not escaped. */
export function layout(options: {
  title: string;
  nonce: string;
  body: Html;
  wide?: boolean;
  script?: string;
}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · Junction</title>
        <style nonce="${options.nonce}">
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <main class="${options.wide ? 'wide' : ''}">${options.body}</main>
        ${
          options.script
            ? html`<script nonce="${options.nonce}">
                ${trusted(options.script)};
              </script>`
            : ''
        }
      </body>
    </html>`.value;
}
