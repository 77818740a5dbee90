using System.Globalization;
using Gatehouse.Storage;

namespace Gatehouse.Server.Checks;

/// <summary>
/// The consistency a caller asks of an answer, and the version it got (ADR 0033):
/// <c>Gatehouse-Consistency: latest | full | at-least=N</c> on the request, <c>Gatehouse-Version: N</c>
/// on the answer to every authenticated request and every write.
/// </summary>
internal static class ConsistencyHeader
{
    public const string Request = "Gatehouse-Consistency";
    public const string Response = "Gatehouse-Version";

    private const string AtLeast = "at-least=";

    public static bool TryParse(string value, out ChangeConsistency consistency)
    {
        var text = value.AsSpan().Trim();
        if (text.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            consistency = ChangeConsistency.Latest;
            return true;
        }

        if (text.Equals("full", StringComparison.OrdinalIgnoreCase))
        {
            consistency = ChangeConsistency.Full;
            return true;
        }

        if (text.StartsWith(AtLeast, StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text[AtLeast.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            consistency = ChangeConsistency.AtLeastVersion(version);
            return true;
        }

        consistency = default;
        return false;
    }

    /// <summary>The server-wide default (<c>GATEHOUSE_CONSISTENCY</c>).</summary>
    public static ChangeConsistency Default(string setting) => setting == "full" ? ChangeConsistency.Full : ChangeConsistency.Latest;
}

/// <summary>A <c>Gatehouse-Consistency</c> header that is none of its forms: answered 400 with GH4013.</summary>
internal sealed class InvalidConsistencyException(string value)
    : Exception($"The {ConsistencyHeader.Request} header must be `latest`, `full` or `at-least=N` (N the {ConsistencyHeader.Response} of an earlier answer), not `{(value.Length > 40 ? value[..40] + "…" : value)}`.");
