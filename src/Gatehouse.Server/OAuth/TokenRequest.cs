using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// What a client credentials request asks for: one audience (from <c>resource</c>,
/// <c>audience</c>, or the app named by the scopes) and the scopes, as <c>app:scope</c> names.
/// </summary>
internal sealed record TokenRequest(AppAudience Audience, IReadOnlyList<string> Scopes, string? ScopeText = null)
{
    public const int MaxScopes = 100;

    private static readonly string[] AudienceParameters = ["resource", "audience"];

    public static (TokenRequest? Request, OAuthError? Error) From(IReadOnlyDictionary<string, string> form, OAuthClient client)
    {
        var scopes = new List<string>();
        var canonical = false;
        if (form.TryGetValue("scope", out var scopeText))
        {
            // Canonical: single spaces, no repeats; then the text is the token's scope claim as sent.
            canonical = true;
            foreach (var scope in scopeText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (scopes.Contains(scope)) // ordinal
                {
                    canonical = false;
                    continue;
                }

                var colon = scope.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon == scope.Length - 1 || scope.IndexOf(':', colon + 1) >= 0)
                {
                    return (null, new OAuthError(OAuthError.InvalidScope, $"`{scope}` is not a scope name: write scopes as app:scope, such as customers:profile.read."));
                }

                scopes.Add(scope);
                if (scopes.Count > MaxScopes)
                {
                    break;
                }
            }
        }

        if (scopes.Count > MaxScopes)
        {
            return (null, new OAuthError(OAuthError.InvalidScope, $"at most {MaxScopes} scopes per token."));
        }

        AppAudience? target = null;
        foreach (var name in AudienceParameters)
        {
            if (!form.TryGetValue(name, out var value))
            {
                continue;
            }

            var parsed = AppAudience.TryParse(value, out var a) ? a
                : name == "audience" && !value.Contains(':', StringComparison.Ordinal) ? new AppAudience(client.Environment, value)
                : (AppAudience?)null;
            if (parsed is null)
            {
                return (null, new OAuthError(OAuthError.InvalidTarget, $"`{name}` must be urn:gatehouse:ENV:APP{(name == "audience" ? " or an app name" : string.Empty)}."));
            }

            if (target is not null && target != parsed)
            {
                return (null, OAuthError.Request("`resource` and `audience` name different apps; a token has one audience."));
            }

            target = parsed;
        }

        var providers = new List<string>(1);
        foreach (var scope in scopes)
        {
            var provider = scope[..scope.IndexOf(':', StringComparison.Ordinal)];
            if (!providers.Contains(provider))
            {
                providers.Add(provider);
            }
        }

        if (target is null)
        {
            if (providers.Count != 1)
            {
                return (null, providers.Count == 0
                    ? OAuthError.Request("name the app you will call: `resource=urn:gatehouse:ENV:APP`, `audience=APP`, or scopes such as `scope=APP:SCOPE`.")
                    : OAuthError.Request($"the scopes belong to several apps ({string.Join(", ", providers)}); a token has one audience: ask one token per app."));
            }

            target = new AppAudience(client.Environment, providers[0]);
        }

        if (target.Value.Environment != client.Environment)
        {
            return (null, new OAuthError(OAuthError.InvalidTarget, $"this client belongs to environment `{client.Environment}`; it cannot get tokens for `{target.Value.Environment}`."));
        }

        foreach (var other in providers)
        {
            if (other != target.Value.App)
            {
                return (null, new OAuthError(OAuthError.InvalidScope, $"scopes of `{other}` cannot be in a token for `{target.Value.App}`; ask one token per app."));
            }
        }

        var length = scopes.Count - 1;
        foreach (var scope in scopes)
        {
            length += scope.Length;
        }

        return (new TokenRequest(target.Value, scopes, canonical && scopeText!.Length == length ? scopeText : null), null);
    }
}
