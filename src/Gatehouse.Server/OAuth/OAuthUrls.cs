using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// The issuer and endpoint URLs: <c>GATEHOUSE_OAUTH_ISSUER</c>, else the server's public URL. Never
/// the URL a request came to: its Host header is the caller's choice (ADR 0013).
/// </summary>
internal sealed class OAuthUrls(OAuthOptions options, PublicUrl publicUrl)
{
    public const string TokenPath = "/oauth2/token";
    public const string IntrospectionPath = "/oauth2/introspect";
    public const string JwksPath = "/oauth2/jwks";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    private string[]? _tokenAudiences;
    private string[]? _introspectionAudiences;

    public string Issuer => options.Issuer ?? publicUrl.Value;

    /// <summary>
    /// What a client assertion may name as <c>aud</c> (RFC 7523 section 3): this issuer, its token
    /// endpoint, or the endpoint the assertion is sent to. Only the path of the request is read.
    /// </summary>
    public IReadOnlyCollection<string> AssertionAudiences(HttpRequest request) =>
        request.Path.StartsWithSegments(IntrospectionPath)
            ? _introspectionAudiences ??= [Issuer, Issuer + TokenPath, Issuer + IntrospectionPath]
            : _tokenAudiences ??= [Issuer, Issuer + TokenPath];
}
