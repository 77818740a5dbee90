using System.Net;
using Gatehouse.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Portal;

/// <summary>
/// Portal settings beyond <see cref="GatehouseOptions"/>, read from the same <c>GATEHOUSE_*</c>
/// variables (environment or command line) and validated when the server is built.
/// </summary>
public sealed class PortalOptions
{
    /// <summary>Header a trusted reverse proxy sets to the signed-in user's name (<c>GATEHOUSE_TRUSTED_HEADER</c>); off when null.</summary>
    public string? TrustedHeader { get; init; }

    /// <summary>
    /// Addresses or CIDR ranges of the reverse proxies (<c>GATEHOUSE_TRUSTED_PROXY</c>): their
    /// <c>X-Forwarded-Proto/For</c> are honoured, and <see cref="TrustedHeader"/> is accepted from them only.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Whether a request came from an address allowed to assert identity through <see cref="TrustedHeader"/>.</summary>
    public bool IsTrustedProxy(IPAddress? remote)
    {
        if (remote is null)
        {
            return false;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return TrustedProxies.Any(n => n.Contains(address));
    }

    public static PortalOptions Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var header = Value(configuration, "GATEHOUSE_TRUSTED_HEADER");
        var proxies = new List<IPNetwork>();
        foreach (var item in (Value(configuration, "GATEHOUSE_TRUSTED_PROXY") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(item, out var address))
            {
                proxies.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else if (IPNetwork.TryParse(item, out var network))
            {
                proxies.Add(network);
            }
            else
            {
                problems.Add($"GATEHOUSE_TRUSTED_PROXY entry `{item}` is not an IP address or CIDR range (like 10.0.0.5 or 10.0.0.0/24).");
            }
        }

        if (header is not null && !header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
        {
            problems.Add($"GATEHOUSE_TRUSTED_HEADER must be a header name (letters, digits, `-`), not `{header}`.");
        }

        if (header is not null && proxies.Count == 0)
        {
            // Without an address check, any client could send the header and be anyone.
            problems.Add("GATEHOUSE_TRUSTED_HEADER needs GATEHOUSE_TRUSTED_PROXY: the address(es) of the reverse proxy allowed to set it.");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid portal configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return new PortalOptions
        {
            TrustedHeader = header,
            TrustedProxies = proxies,
        };
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value ? value.Trim() : null;
}
