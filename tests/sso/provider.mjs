// A small OpenID Connect provider for the single sign-on tests, built on
// the `oidc-provider` package: one confidential client, people with
// passwords, and a plain login page of its own (no dev interactions).
//
// Configured by one JSON argument:
//   {"port": 0, "client_id": "...", "client_secret": "...",
//    "redirect_uri": "http://127.0.0.1:8000/accounts/oidc/callback/",
//    "people": {"lk": {"password": "...", "claims": {"staff_no": "T001", "name": "李堃"}}}}
// Prints "listening <issuer>" on stdout once it accepts connections.
import http from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);
const people = config.people;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, error) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证</title></head>
<body><main><h1>统一身份认证</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>用户名 <input name="login" autocomplete="username"></label>
<label>密码 <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">登录</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), use: 'sig', alg: 'RS256', kid: 'test-key' };

const server = http.createServer();
await new Promise((resolve) => server.listen(config.port || 0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: [config.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  claims: { openid: ['sub'], profile: ['name', 'staff_no'], email: ['email'] },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['test-cookie-key'] },
  pkce: { required: () => false },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const person = people[sub];
    if (!person) return undefined;
    return { accountId: sub, async claims() { return { sub, ...person.claims }; } };
  },
});

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!match[2]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage(details.uid));
      }
      const form = await readForm(req);
      const person = people[form.get('login')];
      if (!person || person.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage(details.uid, '用户名或密码错误'));
      }
      return provider.interactionFinished(req, res, { login: { accountId: form.get('login') } }, { mergeWithLastSubmission: false });
    }
    // consent: this test provider grants what the client asked for.
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
    if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(err));
  }
});

process.stdout.write(`listening ${issuer}\n`);
