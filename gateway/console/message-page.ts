/** A plain page for the console's sign-in outcomes. `html` is trusted markup written here, never user input. */
export function messagePage(title: string, html: string, _isError = false): string {
  void _isError;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Junction</title><link rel="stylesheet" href="/console/assets/style.css"></head>
<body class="message"><main id="main"><h1>${title}</h1><p>${html}</p><p><a href="/console/">Back to the console</a></p></main></body>
</html>`;
}
