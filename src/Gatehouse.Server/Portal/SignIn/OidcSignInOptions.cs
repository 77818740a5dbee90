using Gatehouse.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Portal sign-in through the company's OpenID Connect provider (<c>GATEHOUSE_OIDC_*</c>, off
/// when no authority is set; ADR 0017). Validated when the server starts.
/// </summary>
public sealed class OidcSignInOptions
{
    public const string AuthorityVariable = "GATEHOUSE_OIDC_AUTHORITY";
    public const string ClientIdVariable = "GATEHOUSE_OIDC_CLIENT_ID";
    public const string ClientSecretVariable = "GATEHOUSE_OIDC_CLIENT_SECRET";
    public const string UserClaimVariable = "GATEHOUSE_OIDC_USER_CLAIM";
    public const string EmailDomainVariable = "GATEHOUSE_OIDC_EMAIL_DOMAIN";
    public const string DisplayNameVariable = "GATEHOUSE_OIDC_DISPLAY_NAME";

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read on the first sign-in. Null: OIDC sign-in is off.</summary>
    public Uri? Authority { get; init; }

    public string ClientId { get; init; } = string.Empty;

    /// <summary>Null for a public client (PKCE alone).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The claim whose value is the user's name in the organisation file.</summary>
    public string UserClaim { get; init; } = "preferred_username";

    /// <summary>When set, the <c>email</c> claim must be an address in this domain (and not marked unverified).</summary>
    public string? EmailDomain { get; init; }

    /// <summary>The provider's name on the sign-in button.</summary>
    public string DisplayName { get; init; } = "your company account";

    public bool Enabled => Authority is not null;

    public static OidcSignInOptions Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var authorityText = Get(configuration, AuthorityVariable);
        var clientId = Get(configuration, ClientIdVariable);
        var secret = SecretText(configuration, ClientSecretVariable, problems);
        if (authorityText is null)
        {
            if (clientId is not null || secret is not null)
            {
                problems.Add($"{ClientIdVariable} and {ClientSecretVariable} need {AuthorityVariable}: the URL of the identity provider (its issuer).");
            }

            Throw(problems);
            return new OidcSignInOptions();
        }

        Uri? authority = null;
        if (!Uri.TryCreate(authorityText, UriKind.Absolute, out var parsed) || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            problems.Add($"{AuthorityVariable} must be an absolute URL without query, like https://login.example.com/tenant, not `{authorityText}`.");
        }
        else if (parsed.Scheme != Uri.UriSchemeHttps && !(parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback))
        {
            // The provider's keys are fetched from here: over plain HTTP anyone on the path could sign identities.
            problems.Add($"{AuthorityVariable} must use https (plain http only on a loopback address, for tests), not `{authorityText}`.");
        }
        else
        {
            authority = parsed;
        }

        if (clientId is null)
        {
            problems.Add($"{ClientIdVariable} is required with {AuthorityVariable}: the client id Gatehouse is registered under at the provider.");
        }

        var claim = Get(configuration, UserClaimVariable) ?? "preferred_username";
        if (!claim.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/'))
        {
            problems.Add($"{UserClaimVariable} must be a claim name (like preferred_username or email), not `{claim}`.");
        }

        var domain = Get(configuration, EmailDomainVariable)?.TrimStart('@');
        if (domain is not null && (domain.Length == 0 || Uri.CheckHostName(domain) != UriHostNameType.Dns))
        {
            problems.Add($"{EmailDomainVariable} must be a domain name like example.com, not `{domain}`.");
        }

        Throw(problems);
        return new OidcSignInOptions
        {
            Authority = authority,
            ClientId = clientId!,
            ClientSecret = secret,
            UserClaim = claim,
            EmailDomain = domain?.ToLowerInvariant(),
            DisplayName = Get(configuration, DisplayNameVariable) ?? "your company account",
        };
    }

    private static void Throw(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid OpenID Connect sign-in configuration:\n  - " + string.Join("\n  - ", problems));
        }
    }

    private static string? SecretText(IConfiguration config, string name, List<string> problems)
    {
        var direct = Get(config, name);
        var file = Get(config, name + "_FILE");
        if (direct is not null && file is not null)
        {
            problems.Add($"set either {name} or {name}_FILE, not both.");
            return null;
        }

        if (file is null)
        {
            return direct;
        }

        try
        {
            return File.ReadAllText(file).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{name}_FILE names `{file}`, which cannot be read: {e.Message}");
            return null;
        }
    }

    private static string? Get(IConfiguration config, string name) => config[name] is { Length: > 0 } value ? value.Trim() : null;
}
