using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Server.Portal;

/// <summary>
/// The portal's one stylesheet, embedded in the server and served with a content hash in its
/// URL so browsers may cache it for good: no front-end build, no CDN, works offline.
/// </summary>
internal static class PortalAssets
{
    private static readonly Lazy<(byte[] Bytes, string Hash)> Css = new(() =>
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream("portal/portal.css")
            ?? throw new InvalidOperationException("portal.css is not embedded in the server assembly");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
    });

    public static string CssUrl => "/assets/portal.css?v=" + Css.Value.Hash;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/assets/portal.css", (HttpContext context) =>
        {
            var (bytes, hash) = Css.Value;
            var etag = $"\"{hash}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = context.Request.Query["v"] == hash ? "public, max-age=31536000, immutable" : "no-cache";
            context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return context.Request.Headers.IfNoneMatch == etag
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Bytes(bytes, "text/css; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
}
