using Gatehouse.Core.Access;
using Gatehouse.Storage;
using static Gatehouse.Server.Decisions.DecisionEndpoints;

namespace Gatehouse.Server.Decisions;

/// <summary>The reason given with each decision, in words an on-call engineer can act on.</summary>
internal static class DecisionReasons
{
    // The state as decisions name it ("notrequested"), made once rather than twice per decision.
    private static readonly string[] StateNames = [.. Enum.GetValues<AccessState>().OrderBy(s => (int)s).Select(s => s.ToString().ToLowerInvariant())];

    public static Decision From(AccessCheck check)
    {
        var k = check.Key;
        var approvers = check.Approvers.Count > 0 ? string.Join(", ", check.Approvers) : "an owner of " + k.Provider;
        var (allow, reason) = check.State switch
        {
            AccessState.Granted => (true, $"{k.Consumer} is granted {k.ScopeName} in {k.Environment} (request {check.RequestId})."),
            AccessState.Pending => (false, $"request {check.RequestId} for {k.ScopeName} is waiting for approval by {approvers}."),
            AccessState.Denied => (false, $"request {check.RequestId} for {k.ScopeName} was denied."),
            AccessState.Revoked => (false, $"the grant of {k.ScopeName} to {k.Consumer} in {k.Environment} was revoked."),
            AccessState.Expired => (false, $"the grant of {k.ScopeName} to {k.Consumer} in {k.Environment} expired at {check.ExpiresAt:yyyy-MM-dd HH:mm} UTC; a new approval renews it."),
            _ => (false, $"{k.Consumer} has not requested {k.ScopeName} in {k.Environment}: add it to the needs of its gatehouse.yaml."),
        };
        return new Decision(k.Consumer, k.ScopeName, k.Environment, allow, StateNames[(int)check.State], reason, check.RequestId, check.ExpiresAt);
    }

    public static Decision Unknown(AccessKey k) =>
        new(k.Consumer, k.ScopeName, k.Environment, false, "notrequested", $"{k.Consumer} has not requested {k.ScopeName} in {k.Environment}.");

    /// <summary>A query whose names break the manifest's naming rules: never requested, so denied.</summary>
    public static Decision Invalid(AccessKey k, string problem) =>
        new(k.Consumer, k.ScopeName, k.Environment, false, "notrequested", $"no manifest can declare this access: {problem}");

    public static Decision Failed(AccessKey k) =>
        new(k.Consumer, k.ScopeName, k.Environment, false, "error", "Gatehouse could not decide (internal error), so access is denied.");
}
