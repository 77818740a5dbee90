using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gatehouse.Server.Portal.SignIn;

/// <summary>
/// Behind a reverse proxy that terminates TLS, the server sees plain HTTP: honouring
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> from the configured proxies (and only
/// from them) lets the session cookie be marked Secure and logs show the real client. The
/// connection's own address is kept first, because only it says whether the proxy is talking.
/// </summary>
internal sealed class ProxyForwarding(PortalOptions portal) : IStartupFilter
{
    private const string PeerKey = "gatehouse:peer";

    /// <summary>The address of the machine on the other end of the TCP connection, before any forwarding.</summary>
    public static IPAddress? Peer(HttpContext context) => context.Items[PeerKey] as IPAddress ?? context.Connection.RemoteIpAddress;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (portal.TrustedProxies.Count > 0)
        {
            // Only forwarding rewrites the remote address; without it the peer is that address, and
            // the hot paths are spared an items dictionary per request.
            app.Use((context, following) =>
            {
                context.Items[PeerKey] = context.Connection.RemoteIpAddress;
                return following(context);
            });
            var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in portal.TrustedProxies)
            {
                options.KnownIPNetworks.Add(network);
            }

            app.UseForwardedHeaders(options);
        }

        next(app);
    };
}
