// The reference: oidc-provider issuing client credentials tokens as ES256 JWTs (RFC 9068
// profile), one client authenticating with client_secret_basic, the same audience and scope as
// the Gatehouse side. Started by run.sh; listens on 127.0.0.1:$PORT.
import { createServer } from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT ?? 5301);
const issuer = `http://127.0.0.1:${port}`;
const resource = process.env.RESOURCE;
const scope = process.env.SCOPE;

const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256', // the only key is ES256
  }],
  jwks: { keys: [jwk] },
  scopes: [scope],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope,
        audience: resource,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.proxy = false;

createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
