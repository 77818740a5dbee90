using System.Globalization;
using Gatehouse.Storage.Changes;

namespace Gatehouse.Server.Checks;

/// <summary>Marks a POST endpoint that changes nothing (a check, a decision), so no change version is collected for it.</summary>
internal sealed class ReadsOnly
{
    public static readonly ReadsOnly Instance = new();
}

/// <summary>
/// Answers a write with the change version it committed, in <c>Gatehouse-Version</c> (ADR 0033):
/// a caller that revoked something through one replica can send it as
/// <c>Gatehouse-Consistency: at-least=N</c> to any replica and get an answer that includes the revocation.
/// </summary>
internal static class ChangeVersionOfWrites
{
    public static void Collect(HttpContext context)
    {
        var committed = ChangeTokens.Collect();
        context.Response.OnStarting(static state =>
        {
            var (http, committed) = ((HttpContext, ChangeTokens.Collector))state;
            if (committed.Version > 0)
            {
                http.Response.Headers[ConsistencyHeader.Response] = committed.Version.ToString(CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        }, (context, committed));
    }
}
