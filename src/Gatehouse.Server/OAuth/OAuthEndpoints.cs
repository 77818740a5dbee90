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
        app.MapGet(OAuthUrls.MetadataPath, DiscoveryEndpoints.Metadata).AllowAnonymous().WithName("OAuthMetadata");
        app.MapGet(OAuthUrls.JwksPath, DiscoveryEndpoints.Jwks).AllowAnonymous().WithName("OAuthJwks");
        app.MapPost(OAuthUrls.TokenPath, TokenEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery().WithName("OAuthToken");
        app.MapPost(OAuthUrls.IntrospectionPath, IntrospectionEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery().WithName("OAuthIntrospect");
    }
}
