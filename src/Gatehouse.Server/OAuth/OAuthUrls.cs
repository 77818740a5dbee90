namespace Gatehouse.Server.OAuth;

/// <summary>The issuer and endpoint URLs: the configured issuer, or the URL the request came to.</summary>
internal sealed class OAuthUrls(OAuthOptions options)
{
    public const string TokenPath = "/oauth2/token";
    public const string IntrospectionPath = "/oauth2/introspect";
    public const string JwksPath = "/oauth2/jwks";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    public string Issuer(HttpRequest request) =>
        options.Issuer ?? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}".TrimEnd('/');

    /// <summary>What a client assertion may name as <c>aud</c>: the issuer, or the endpoint it is sent to.</summary>
    public IReadOnlyCollection<string> AssertionAudiences(HttpRequest request)
    {
        var issuer = Issuer(request);
        return [issuer, issuer + TokenPath, issuer + request.Path.Value];
    }
}
