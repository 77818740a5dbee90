namespace Gatehouse.Server.OAuth;

/// <summary>
/// The audience of a token: one providing app in one environment, written
/// <c>urn:gatehouse:ENV:APP</c> (an absolute URI, as RFC 8707 requires of <c>resource</c>).
/// The environment is part of it so a staging token is never accepted by production.
/// </summary>
internal readonly record struct AppAudience(string Environment, string App)
{
    public const string Prefix = "urn:gatehouse:";

    public override string ToString() => $"{Prefix}{Environment}:{App}";

    public static bool TryParse(string value, out AppAudience audience)
    {
        audience = default;
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = value[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        audience = new AppAudience(parts[0], parts[1]);
        return true;
    }
}
