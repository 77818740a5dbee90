using Gatehouse.Core.Graph;
using Gatehouse.Core.Manifests;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Graph;

public sealed class AccessGraphTests
{
    private static readonly AppManifest[] Manifests =
    [
        Read("""
            apiVersion: gatehouse/v1
            app: billing
            owners: [team:payments]
            needs:
              - app: customers
                scopes: [profile.read, profile.legacy]
                reason: Print names on invoices
                environments: [production]
              - app: ledger
                scopes: [entries.write]
                reason: Book payments
            """),
        Read("""
            apiVersion: gatehouse/v1
            app: customers
            owners: [team:crm]
            scopes:
              - name: profile.read
              - name: profile.legacy
                deprecated: Use profile.read
            """),
        Read("""
            apiVersion: gatehouse/v1
            app: order-history
            owners: [team:crm]
            needs:
              - app: customers
                scopes: [profile.read]
                reason: Show who ordered
            """),
    ];

    private static AppManifest Read(string yaml) => Manifest(yaml).Value ?? throw new InvalidOperationException("invalid test manifest");

    [Fact]
    public void Build_ListsEveryNeededScopeSortedWithExternalAppsApart()
    {
        var graph = AccessGraph.Build(Manifests);

        Assert.Equal(["billing", "customers", "order-history"], graph.Apps);
        Assert.Equal(["ledger"], graph.ExternalApps);
        Assert.Equal(
            ["billing->customers:profile.legacy", "billing->customers:profile.read", "billing->ledger:entries.write", "order-history->customers:profile.read"],
            graph.Edges.Select(e => $"{e.Consumer}->{e.Provider}:{e.Scope}"));
        Assert.Equal("Use profile.read", graph.Edges[0].Deprecation);
        Assert.False(graph.Edges[2].ProviderKnown);
    }

    [Fact]
    public void Build_ForAnEnvironment_KeepsOnlyNeedsThatApplyThere()
    {
        var graph = AccessGraph.Build(Manifests, "staging");

        Assert.Equal("staging", graph.Environment);
        Assert.Equal(["billing->ledger", "order-history->customers"], graph.Edges.Select(e => $"{e.Consumer}->{e.Provider}"));
    }

    [Fact]
    public void Text_IsAnAlignedTableWithASummary()
    {
        var text = AccessGraphText.Render(AccessGraph.Build(Manifests));

        Assert.Equal("""
            CONSUMER       NEEDS                                      ENVIRONMENTS  REASON
            billing        customers:profile.legacy (deprecated)      production    Print names on invoices
            billing        customers:profile.read                     production    Print names on invoices
            billing        ledger:entries.write (not in these files)  all           Book payments
            order-history  customers:profile.read                     all           Show who ordered

            3 apps, 2 consumers, 4 needed scopes

            """, text);
    }

    [Fact]
    public void Text_WithNoNeeds_SaysSo()
    {
        var text = AccessGraphText.Render(AccessGraph.Build([Manifests[1]], "production"));

        Assert.Equal("1 app; none needs access to another app in production.\n", text);
    }

    [Fact]
    public void Mermaid_DrawsOneArrowPerAppPairWithSafeIds()
    {
        var text = AccessGraphMermaid.Render(AccessGraph.Build(Manifests));

        Assert.Equal("""
            flowchart LR
              app_billing["billing"]
              app_customers["customers"]
              app_order_history["order-history"]
              app_ledger["ledger"]:::external
              app_billing -->|"profile.legacy (deprecated), profile.read"| app_customers
              app_billing -->|"entries.write"| app_ledger
              app_order_history -->|"profile.read"| app_customers
              classDef external stroke-dasharray: 5 5

            """, text);
    }

    [Fact]
    public void Dot_IsAValidDigraphWithDashedExternalApps()
    {
        var text = AccessGraphDot.Render(AccessGraph.Build(Manifests));

        Assert.Equal("""
            digraph gatehouse {
              rankdir=LR;
              node [shape=box];
              "billing";
              "customers";
              "order-history";
              "ledger" [style=dashed];
              "billing" -> "customers" [label="profile.legacy (deprecated)\nprofile.read"];
              "billing" -> "ledger" [label="entries.write"];
              "order-history" -> "customers" [label="profile.read"];
            }

            """, text);
    }
}
