// An independent OAuth client against a running Gatehouse: discovers the RFC 8414 metadata,
// obtains tokens with client_secret_basic, client_secret_post and private_key_jwt, verifies
// each against the JWKS, and checks the refusals. Prints one JSON report; exit 0 = all passed.
// Driven by tests/Gatehouse.OAuth.Tests (InteropTests), which starts Gatehouse and the clients.
import * as client from 'openid-client';
import * as jose from 'jose';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};

const issuer = new URL(env('GATEHOUSE_ISSUER'));
const scope = env('GATEHOUSE_SCOPE');
const resource = env('GATEHOUSE_RESOURCE');
const insecure = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};
const results = [];

async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
  } catch (e) {
    results.push({ name, ok: false, detail: `${e.name}: ${e.message}${e.error ? ` (${e.error})` : ''}` });
  }
}

async function discover(clientId, auth) {
  return client.discovery(issuer, clientId, undefined, auth, { algorithm: 'oauth2', ...insecure });
}

async function verify(config, accessToken) {
  const metadata = config.serverMetadata();
  const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const { payload, protectedHeader } = await jose.jwtVerify(accessToken, jwks, {
    issuer: metadata.issuer,
    audience: resource,
    typ: 'at+jwt',
    algorithms: ['ES256', 'RS256'],
  });
  if (payload.scope !== scope) throw new Error(`scope is "${payload.scope}", expected "${scope}"`);
  if (payload.client_id !== config.clientMetadata().client_id) throw new Error(`client_id is ${payload.client_id}`);
  return { alg: protectedHeader.alg, sub: payload.sub, aud: payload.aud, scope: payload.scope };
}

async function tokenWith(name, clientId, auth) {
  await check(name, async () => {
    const config = await discover(clientId, auth);
    const tokens = await client.clientCredentialsGrant(config, { scope, resource });
    if (tokens.token_type.toLowerCase() !== 'bearer') throw new Error(`token_type ${tokens.token_type}`);
    return verify(config, tokens.access_token);
  });
}

async function refusedWith(name, clientId, auth, parameters, expected) {
  await check(name, async () => {
    const config = await discover(clientId, auth);
    try {
      await client.clientCredentialsGrant(config, parameters);
    } catch (e) {
      // A 401 with WWW-Authenticate surfaces as a challenge error carrying the error parameter.
      const error = e.error ?? e.cause?.[0]?.parameters?.error;
      if (error === expected) return { error, status: e.status };
      throw e;
    }
    throw new Error(`expected ${expected}, got a token`);
  });
}

const secretId = env('SECRET_CLIENT_ID');
const secret = env('SECRET_CLIENT_SECRET');
const keyId = env('KEY_CLIENT_ID');
const privateJwk = JSON.parse(env('KEY_CLIENT_PRIVATE_JWK'));
const privateKey = await jose.importJWK(privateJwk, 'ES256');

await check('metadata', async () => {
  const metadata = (await discover(secretId, client.ClientSecretBasic(secret))).serverMetadata();
  if (metadata.issuer !== issuer.href.replace(/\/$/, '')) throw new Error(`issuer ${metadata.issuer}`);
  return { token_endpoint: metadata.token_endpoint, jwks_uri: metadata.jwks_uri };
});
await tokenWith('client_secret_basic', secretId, client.ClientSecretBasic(secret));
await tokenWith('client_secret_post', secretId, client.ClientSecretPost(secret));
await tokenWith('private_key_jwt', keyId, client.PrivateKeyJwt({ key: privateKey, kid: privateJwk.kid }));
await refusedWith('wrong secret', secretId, client.ClientSecretBasic(`${secret}x`), { scope, resource }, 'invalid_client');
await refusedWith('scope not granted', secretId, client.ClientSecretBasic(secret), { scope: env('GATEHOUSE_UNGRANTED_SCOPE'), resource }, 'invalid_scope');
await check('introspection', async () => {
  const caller = await discover(env('RESOURCE_CLIENT_ID'), client.ClientSecretBasic(env('RESOURCE_CLIENT_SECRET')));
  const tokens = await client.clientCredentialsGrant(await discover(secretId, client.ClientSecretPost(secret)), { scope, resource });
  const introspection = await client.tokenIntrospection(caller, tokens.access_token);
  if (introspection.active !== true || introspection.scope !== scope) throw new Error(JSON.stringify(introspection));
  return { active: introspection.active, scope: introspection.scope };
});

console.log(JSON.stringify({ results }, null, 2));
process.exit(results.every((r) => r.ok) ? 0 : 1);
