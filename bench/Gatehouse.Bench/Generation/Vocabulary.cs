namespace Gatehouse.Bench.Generation;

/// <summary>Words for names and sentences, so generated files look and weigh like real ones.</summary>
internal static class Vocabulary
{
    public static readonly string[] Resources =
    [
        "invoices", "orders", "customers", "payments", "refunds", "shipments", "labels", "products", "prices",
        "stock", "carts", "coupons", "campaigns", "reviews", "tickets", "accounts", "sessions", "events",
        "reports", "dashboards", "messages", "templates", "flags", "tax-rates", "addresses", "consents",
        "returns", "payouts", "ledgers", "contracts", "documents", "exports", "webhooks", "api-keys",
    ];

    public static readonly (string Action, string Phrase)[] Actions =
    [
        ("read", "Read"), ("write", "Create and change"), ("delete", "Delete"), ("export", "Export in bulk all"),
        ("approve", "Approve or reject pending"), ("publish", "Publish new versions of"), ("manage", "Manage the settings of"),
        ("audit", "Read the audit trail of"),
    ];

    public static readonly string[] Contexts =
    [
        "for the web shop and the mobile apps", "in nightly batch jobs", "from the back-office portal",
        "for customer support agents", "for finance and the monthly closing", "across every sales channel",
        "for partners through the public API", "for the data warehouse and reporting",
    ];

    public static readonly string[] Domains =
    [
        "billing", "checkout", "fulfilment", "catalogue", "identity", "marketing", "support", "finance",
        "logistics", "analytics", "compliance", "messaging", "partner", "merchandising", "risk",
    ];

    public static readonly string[] Purposes =
    [
        "Show the data on the customer's account pages", "Reconcile records every night before the ledger closes",
        "Keep the search index and caches in sync after every change", "Let support agents answer tickets without switching tools",
        "Produce the monthly reports that finance sends to the board", "Check the state before each step of the order workflow",
        "Notify customers as soon as something changes", "Detect fraud patterns across orders and payments",
    ];

    public static readonly string[] Details =
    [
        "called about ten times per order", "read-only, cached for five minutes", "batched, at most once per hour",
        "needed since the migration off the monolith", "required by the audit of the last quarter", "behind a feature flag during rollout",
    ];
}
