using Gatehouse.Core.Access;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Relational;

/// <summary>Environment policies at the moment a grant would be made (docs/adr/0031-environment-policies.md).</summary>
internal sealed partial class RelationalStore
{
    private static async Task<StoreResult<AccessRequest>?> PolicyRefusalAsync(WriteScope scope, AccessRequest request, EnvironmentDefinition environment, bool emergency, CancellationToken ct)
    {
        var key = request.Key;
        if (environment.Promotion is { } earlier
            && await ReadActiveGrantAsync(scope, key with { Environment = earlier }, ct) is not { State: GrantState.Active })
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.PromotionRequired,
                $"request {request.Id} cannot be approved yet: {key.Environment} requires promotion from {earlier}, and {key.Consumer} holds no active grant of {key.Provider}:{key.Scope} in {earlier}; get it granted in {earlier} first");
        }

        if (environment.FrozenAt(scope.At) is { } freeze && !emergency)
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.EnvironmentFrozen,
                $"request {request.Id} cannot be approved: {key.Environment} is {freeze}; no new grants until the freeze ends, unless an admin approves it as an emergency (gatehouse approve {request.Id} --emergency --comment WHY)");
        }

        return null;
    }
}
