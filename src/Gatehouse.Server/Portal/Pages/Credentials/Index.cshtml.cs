using Gatehouse.Server.Hosting;
using Gatehouse.Server.OAuth.Clients;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Credentials;

/// <summary>
/// Self-service credentials (issue 10, ADR 0018): a person's own personal tokens, and for each app
/// she owns its deploy tokens and OAuth clients. A new secret is shown once, in the answer to the
/// form that made it (never in a redirect, a cookie or a later page); the store and
/// <see cref="ClientCommands"/> decide who may do what, exactly as the API does.
/// </summary>
internal sealed class CredentialsModel(PortalData data, ClientCommands clients, IOAuthStore oauth, GatehouseOptions options, TimeProvider time) : PortalPageModel
{
    public IReadOnlyList<TokenInfo> PersonalTokens { get; private set; } = [];

    public IReadOnlyList<AppCredentials> Apps { get; private set; } = [];

    public IReadOnlyList<string> Environments { get; private set; } = [];

    /// <summary>An app an admin asked for with <c>?app=</c> that she does not own.</summary>
    public string? AdminApp { get; private set; }

    public int DefaultDays => options.DefaultTokenDays;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The secret just made, shown once: what it is, and the secret.</summary>
    public IssuedSecret? Issued { get; private set; }

    public async Task OnGetAsync(string? app, CancellationToken ct) => await LoadAsync(app, ct);

    public async Task<IActionResult> OnPostCreateTokenAsync(string? app, string? description, int? expiresInDays, CancellationToken ct)
    {
        var kind = string.IsNullOrEmpty(app) ? TokenKind.Personal : TokenKind.Deploy;
        var days = expiresInDays ?? options.DefaultTokenDays;
        if (days is < 1 or > 3650)
        {
            Refused(400, StoreErrors.TokenExpiryInvalid, "Expires in (days) must be from 1 to 3650.");
            return await PageAsync(app, ct);
        }

        var subject = new TokenSubject(kind, kind == TokenKind.Personal ? Viewer.Name : app!);
        var result = await data.Store.CreateTokenAsync(subject, Now.AddDays(days), Blank(description), Viewer.Actor, HttpContext.TraceIdentifier, ct);
        if (!result.Succeeded)
        {
            Refused(result);
            return await PageAsync(app, ct);
        }

        var info = result.Value!.Info;
        Issued = new IssuedSecret(kind == TokenKind.Personal
            ? $"Personal token {info.Id}, valid until {info.ExpiresAt:yyyy-MM-dd}"
            : $"Deploy token {info.Id} of {app}, valid until {info.ExpiresAt:yyyy-MM-dd}", result.Value.Secret);
        return await PageAsync(app, ct);
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(string id, string? app, CancellationToken ct)
    {
        var result = await data.Store.RevokeTokenAsync(id, Viewer.Actor, HttpContext.TraceIdentifier, ct);
        if (result.Succeeded)
        {
            return Done($"Token {id} revoked: it stops working at once.", ReturnUrl(app));
        }

        Refused(result);
        return await PageAsync(app, ct);
    }

    public async Task<IActionResult> OnPostCreateClientAsync(string app, string? environment, string? description, string? authMethod, string? jwk, CancellationToken ct)
    {
        System.Text.Json.JsonElement? key = null;
        if (authMethod == "private_key_jwt" && !string.IsNullOrWhiteSpace(jwk))
        {
            try
            {
                key = System.Text.Json.JsonDocument.Parse(jwk).RootElement.Clone();
            }
            catch (System.Text.Json.JsonException e)
            {
                Refused(422, OAuth.OAuthErrors.PublicKeyInvalid, $"The public key is not JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): paste one JWK, e.g. {{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"…\",\"y\":\"…\"}}.");
                return await PageAsync(app, ct);
            }
        }

        var outcome = await clients.CreateAsync(new CreateClientBody(app, environment, Blank(description), authMethod, key), Viewer.Actor, HttpContext.TraceIdentifier, ct);
        if (!outcome.Succeeded)
        {
            Refused(outcome.Status, outcome.Code!, outcome.Message!);
            return await PageAsync(app, ct);
        }

        var created = outcome.Value!;
        if (created.ClientSecret is null)
        {
            return Done($"Client {created.Client.Id} of {app} in {environment} created with public key {created.Kid}.", ReturnUrl(app));
        }

        Issued = new IssuedSecret($"Client secret of {created.Client.Id} ({app}, {environment})", created.ClientSecret);
        return await PageAsync(app, ct);
    }

    public async Task<IActionResult> OnPostRotateSecretAsync(string id, int? overlapHours, string? app, CancellationToken ct)
    {
        var outcome = await clients.RotateSecretAsync(id, overlapHours, Viewer.Actor, HttpContext.TraceIdentifier, ct);
        if (!outcome.Succeeded)
        {
            Refused(outcome.Status, outcome.Code!, outcome.Message!);
            return await PageAsync(app, ct);
        }

        var rotated = outcome.Value!;
        var overlap = rotated.PreviousSecretValidUntil is { } until ? $"; the old secret works until {until:yyyy-MM-dd HH:mm} UTC" : "; the old secret has stopped";
        Issued = new IssuedSecret($"New client secret of {id}{overlap}", rotated.ClientSecret);
        return await PageAsync(app, ct);
    }

    public async Task<IActionResult> OnPostRevokeClientAsync(string id, string? app, CancellationToken ct)
    {
        var outcome = await clients.RevokeAsync(id, Viewer.Actor, HttpContext.TraceIdentifier, ct);
        if (outcome.Succeeded)
        {
            return Done($"Client {id} revoked: it gets no more tokens.", ReturnUrl(app));
        }

        Refused(outcome.Status, outcome.Code!, outcome.Message!);
        return await PageAsync(app, ct);
    }

    private async Task<IActionResult> PageAsync(string? app, CancellationToken ct)
    {
        // A page that may carry a secret is never stored by a browser or a proxy.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(app, ct);
        return Page();
    }

    private async Task LoadAsync(string? app, CancellationToken ct)
    {
        Environments = await data.EnvironmentsAsync(ct);
        var tokens = await data.Store.ListTokensAsync(Viewer.Actor, ct);
        PersonalTokens = [.. tokens.Where(t => t.Subject.Kind == TokenKind.Personal && t.Subject.Name == Viewer.Name).OrderByDescending(t => t.CreatedAt)];
        var names = (await data.OwnedAppsAsync(Viewer, ct)).Select(a => a.Name).ToList();
        if (Viewer.IsAdmin && !string.IsNullOrEmpty(app) && !names.Contains(app, StringComparer.Ordinal) && await data.Store.GetAppAsync(app, ct) is not null)
        {
            AdminApp = app;
            names.Insert(0, app);
        }

        var visibility = await data.Store.CredentialVisibilityAsync(Viewer.Actor, ct);
        var apps = new List<AppCredentials>();
        foreach (var name in names)
        {
            var deploy = tokens.Where(t => t.Subject.Kind == TokenKind.Deploy && t.Subject.Name == name).OrderByDescending(t => t.CreatedAt).ToList();
            var appClients = (await oauth.ListClientsAsync(name, ct)).Where(c => visibility.MaySeeClient(c.App, c.CreatedBy)).OrderBy(c => c.Environment, StringComparer.Ordinal).ThenByDescending(c => c.CreatedAt).ToList();
            apps.Add(new AppCredentials(name, deploy, appClients));
        }

        Apps = apps;
    }

    public bool IsActive(TokenInfo token) => token.RevokedAt is null && token.ExpiresAt > Now;

    private string ReturnUrl(string? app) => string.IsNullOrEmpty(app) || !Viewer.IsAdmin ? "/credentials" : $"/credentials?app={Uri.EscapeDataString(app)}";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal sealed record AppCredentials(string Name, IReadOnlyList<TokenInfo> DeployTokens, IReadOnlyList<OAuthClient> Clients);

    internal sealed record IssuedSecret(string What, string Secret);
}
