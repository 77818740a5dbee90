using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// The URL clients reach this server at, and so the OAuth issuer unless one is set apart. It comes
/// from <c>GATEHOUSE_PUBLIC_URL</c> (or <c>GATEHOUSE_OAUTH_ISSUER</c>), or is derived once from the
/// one address the server listens on; never from a request, whose <c>Host</c> header the caller
/// chooses (ADR 0013). Also holds the host names a request may be addressed to.
/// </summary>
internal sealed class PublicUrl(PublicUrl.Settings settings, IServer server)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private string? _value;

    /// <summary>What configuration says; checked when the server is built.</summary>
    internal sealed record Settings(string? Configured, IReadOnlyList<string> AllowedHosts, bool AnyHost);

    /// <summary>Configured, or derived from the listen address (then known only once the server listens).</summary>
    public bool IsConfigured => settings.Configured is not null;

    /// <summary>The public URL: scheme and authority, no trailing slash.</summary>
    public string Value => settings.Configured ?? (_value ??= Derive());

    /// <summary>True when any host name is accepted (<c>GATEHOUSE_ALLOWED_HOSTS=*</c>, or a demo listening everywhere).</summary>
    public bool AnyHost => settings.AnyHost;

    /// <summary>Host names (no port) a request may name in <c>Host</c>, for <see cref="HostString.MatchesAny"/>.</summary>
    public IList<StringSegment> AllowedHosts { get; } = [.. settings.AllowedHosts.Select(h => new StringSegment(h))];

    public static Settings Load(IConfiguration config, bool demo)
    {
        var problems = new List<string>();
        var hosts = new List<string>();
        var configured = Url(config, "GATEHOUSE_PUBLIC_URL", problems, allowPath: false);
        var issuer = Url(config, "GATEHOUSE_OAUTH_ISSUER", null, allowPath: true);
        configured ??= issuer is null ? null : new Uri(issuer).GetLeftPart(UriPartial.Authority);
        foreach (var url in new[] { configured, issuer })
        {
            if (url is not null)
            {
                hosts.Add(new Uri(url).Host.ToLowerInvariant());
            }
        }

        var anyHost = false;
        var listen = (config["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var address in listen)
        {
            if (!TryListenHost(address, out var host))
            {
                problems.Add($"--urls entry `{address}` is not an address to listen on, such as http://127.0.0.1:5080.");
            }
            else if (host is null)
            {
                // Listening on every address says nothing about the name clients use.
                anyHost |= demo && configured is null;
            }
            else
            {
                hosts.AddRange(IsLoopback(host) ? LoopbackNames : [host]);
            }
        }

        if (configured is null && !demo && (listen.Length != 1 || !TryListenHost(listen[0], out var only) || only is null))
        {
            problems.Add($"set GATEHOUSE_PUBLIC_URL to the URL clients use (such as https://gatehouse.example.com): the server listens on `{string.Join(';', listen)}`, "
                + "which does not name one host, and it never takes its identity (the OAuth issuer) from a request's Host header.");
        }

        foreach (var extra in (Get(config, "GATEHOUSE_ALLOWED_HOSTS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (extra == "*")
            {
                anyHost = true;
            }
            else if (extra.Contains('/', StringComparison.Ordinal) || extra.Contains(':', StringComparison.Ordinal) && !extra.StartsWith('['))
            {
                problems.Add($"GATEHOUSE_ALLOWED_HOSTS entry `{extra}` must be a host name without scheme or port, such as gatehouse.internal or *.example.com.");
            }
            else
            {
                hosts.Add(extra.ToLowerInvariant());
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return new Settings(configured, [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)], anyHost);
    }

    private string Derive()
    {
        // Read from the server, not the request: the first address it bound (the one --urls names,
        // with its real port when that was 0).
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the public URL is derived from the listen address, which is known only once the server listens");
        var address = BindingAddress.Parse(bound);
        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" or "::" ? "localhost" : address.Host;
        return new UriBuilder(address.Scheme, host.Trim('[', ']'), address.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The host of one <c>--urls</c> entry, or null for an address that listens everywhere.</summary>
    private static bool TryListenHost(string address, out string? host)
    {
        host = null;
        try
        {
            var parsed = BindingAddress.Parse(address);
            if (parsed.IsNamedPipe || parsed.IsUnixPipe)
            {
                return true;
            }

            host = parsed.Host is "*" or "+" or "0.0.0.0" or "[::]" or "::" ? null : parsed.Host.ToLowerInvariant();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string? Url(IConfiguration config, string name, List<string>? problems, bool allowPath)
    {
        if (Get(config, name) is not { } text)
        {
            return null;
        }

        // GATEHOUSE_OAUTH_ISSUER is validated (with its own message) by OAuthOptionsLoader.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || (!allowPath && uri.AbsolutePath != "/") || uri.UserInfo.Length > 0)
        {
            problems?.Add($"{name} must be an http(s) URL with no path, query or fragment, such as https://gatehouse.example.com, not `{text}`.");
            return null;
        }

        return allowPath ? text.TrimEnd('/') : uri.GetLeftPart(UriPartial.Authority);
    }

    private static string? Get(IConfiguration config, string name) => config[name] is { Length: > 0 } value ? value.Trim() : null;
}
