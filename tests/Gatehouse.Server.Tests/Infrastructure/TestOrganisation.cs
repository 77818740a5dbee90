namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>A small organisation the HTTP tests push: three environments, two teams, four apps.</summary>
internal static class TestOrganisation
{
    public const string Org = """
        apiVersion: gatehouse/v1
        organisation: testco
        admins: [root]
        environments:
          - name: development
            approval: auto
          - name: staging
          - name: production
            approval: owner
        teams:
          - name: payments
            members: [alice, paul]
          - name: people
            members: [carol, cid]
          - name: shop
            members: [sam]
        """;

    public const string Customers = """
        apiVersion: gatehouse/v1
        app: customers
        description: Customer profiles
        owners: [team:people]
        scopes:
          - name: profile.read
            description: Read profiles
          - name: profile.write
            approval: two-owners
          - name: status.read
            approval: auto
        """;

    public const string Billing = """
        apiVersion: gatehouse/v1
        app: billing
        description: Invoices
        owners: [team:payments]
        scopes:
          - name: invoices.read
        needs:
          - app: customers
            scopes: [profile.read]
            reason: Print the customer's name on invoices
        """;

    public const string Shop = """
        apiVersion: gatehouse/v1
        app: shop
        owners: [team:shop]
        needs:
          - app: customers
            scopes: [profile.write, status.read]
            reason: Let customers edit their profile
            environments: [staging, production]
          - app: billing
            scopes: [invoices.read]
            reason: Show invoices in the account page
        """;

    public static IReadOnlyList<(string Path, string Content)> Manifests =>
        [("customers/gatehouse.yaml", Customers), ("billing/gatehouse.yaml", Billing), ("shop/gatehouse.yaml", Shop)];
}
