// A real OpenID Connect provider for the sign-in tests: the certified `oidc-provider` package
// (npm, devDependencies), on the port given, with the clients and people of a JSON file.
//
//   node tests/oidc/provider.mjs PORT CONFIG.json
//
// CONFIG: {"clients": [oidc-provider client metadata...], "accounts": {"<sub>": {claims...}}}.
// Its own sign-in form (oidc-provider's development interactions) takes the subject as the login;
// consent is taken as given for the configured clients, as a provider does for its organisation's
// own services. Prints "ready" on standard output once it listens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const scopes = ['openid', 'email', 'profile', 'groups'];

const provider = new Provider(issuer, {
  clients: config.clients,
  scopes,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(scopes.join(' '));
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: [config.cookieKey || 'test-only-cookie-key'] },
  pkce: { required: () => true },
});
provider.proxy = false;

// Quiet: the development warnings go to standard error, which the tests keep in a log file.
provider.listen(Number(port), '127.0.0.1', () => { process.stdout.write('ready\n'); });
