// A real OpenID provider (npm oidc-provider) for the portal sign-in tests in
// tests/Gatehouse.Portal.Tests (OidcSignInBrowserTests). Protocol on stdio:
//   1. listens on 127.0.0.1 (a port the OS picks) and prints {"issuer": "..."}
//   2. reads one line: the redirect URI Gatehouse uses (known once Gatehouse has started)
//   3. registers the client and prints {"ready": true}
// Any login and password sign in (oidc-provider's development interactions); the account's
// preferred_username is the login up to a `+`. Two logins make the provider misbehave, so the
// tests can show that Gatehouse's handler refuses what it sends:
//   NAME+wrong-audience  the ID token names another client as its audience
//   NAME+wrong-nonce     the ID token carries a nonce this browser never sent
// Both are re-signed with the provider's own key: only the claim is wrong.
import http from 'node:http';
import readline from 'node:readline';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

const lines = readline.createInterface({ input: process.stdin });
const redirectUri = await new Promise((resolve) => lines.once('line', (line) => resolve(line.trim())));

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'interop-signing-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['interop-cookie-key-not-a-secret'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const name = id.split('+')[0];
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: name, email: `${name}@${process.env.OIDC_EMAIL_DOMAIN ?? 'acme.test'}`, email_verified: true };
      },
    };
  },
  // No consent screen: the company's own provider would not ask either.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const payload = jose.decodeJwt(ctx.body.id_token);
  if (payload.sub.endsWith('+wrong-audience')) {
    payload.aud = 'another-relying-party';
  } else if (payload.sub.endsWith('+wrong-nonce')) {
    payload.nonce = 'a-nonce-this-browser-never-sent';
  } else {
    return;
  }
  const idToken = await new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey);
  ctx.body = { ...ctx.body, id_token: idToken };
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
lines.on('close', () => process.exit(0));
