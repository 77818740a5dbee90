using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Storage;

namespace Gatehouse.OAuth.Tests.Infrastructure;

/// <summary>
/// The organisation the OAuth tests run against, pushed through the store: the organisation file
/// by the bootstrap token, the manifests by its admin root. In development every request is granted at once (policy auto), except two-owners
/// scopes; production needs an owner's approval.
/// </summary>
internal static class TestOrganisation
{
    public const string Development = "development";
    public const string Production = "production";

    private static readonly SourceLocation At = new("test", 1, 1);
    private static readonly Actor Bootstrap = new(ActorKind.Bootstrap, "bootstrap");
    private static readonly Actor Root = new(ActorKind.User, "root");

    public static async Task PushAsync(IGatehouseStore store)
    {
        var org = new OrganisationFile("gatehouse/v1", "testco", ["root"],
            [new EnvironmentDefinition(Development, null, EnvironmentApproval.Auto, At), new EnvironmentDefinition(Production, null, EnvironmentApproval.Owner, At)],
            [new TeamDefinition("people", null, ["carol"], At), new TeamDefinition("payments", null, ["alice"], At)],
            At);
        var pushed = await store.PushOrganisationAsync(org, "org v1", Bootstrap, null);
        Assert.True(pushed.Succeeded, pushed.ErrorMessage);

        var customers = new AppManifest("gatehouse/v1", "customers", "Customer profiles", [new OwnerRef(OwnerKind.Team, "people")],
            [Scope("profile.read", ApprovalMode.Owner), Scope("profile.write", ApprovalMode.TwoOwners), Scope("status.read", ApprovalMode.Auto)], [], At);
        var billing = new AppManifest("gatehouse/v1", "billing", "Invoices", [new OwnerRef(OwnerKind.Team, "payments")],
            [Scope("invoices.read", ApprovalMode.Owner)],
            [new NeedDeclaration("customers", ["profile.read", "status.read", "profile.write"], "Print names on invoices", null, At)], At);
        var result = await store.PushAsync([new ManifestUpload(customers, "customers v1"), new ManifestUpload(billing, "billing v1")], Root, null);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    public static async Task<Grant> ActiveGrantAsync(IGatehouseStore store, string consumer, string provider, string scope, string environment) =>
        Assert.Single(await store.ListGrantsAsync(new GrantQuery(provider, scope, consumer, environment)));

    public static Task<StoreResult<Grant>> RevokeAsync(IGatehouseStore store, long grantId) =>
        store.RevokeAsync(grantId, Root, "test revocation", null);

    private static ScopeDeclaration Scope(string name, ApprovalMode approval) => new(name, null, approval, null, At);
}
