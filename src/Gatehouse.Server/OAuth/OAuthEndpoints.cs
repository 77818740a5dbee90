using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// The OAuth routes. They are anonymous at the ASP.NET level on purpose: the token and
/// introspection endpoints authenticate clients themselves (OAuth client authentication, not
/// Gatehouse bearer tokens), and metadata and keys are public by design.
/// </summary>
public static class OAuthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet(OAuthUrls.MetadataPath, DiscoveryEndpoints.Metadata).AllowAnonymous().WithName("OAuthMetadata")
            .WithSummary("OAuth 2.0 authorization server metadata (RFC 8414)");
        app.MapGet(OAuthUrls.JwksPath, DiscoveryEndpoints.Jwks).AllowAnonymous().WithName("OAuthJwks")
            .WithSummary("Public keys that verify access tokens (JWKS)");
        app.MapPost(OAuthUrls.TokenPath, TokenEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.OAuthPolicy).WithName("OAuthToken")
            .WithSummary("Client credentials grant: an RFC 9068 access token with the granted scopes (form body, OAuth client authentication)");
        app.MapPost(OAuthUrls.IntrospectionPath, IntrospectionEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.OAuthPolicy).WithName("OAuthIntrospect")
            .WithSummary("Token introspection (RFC 7662) for a client of the token's audience");
    }
}
