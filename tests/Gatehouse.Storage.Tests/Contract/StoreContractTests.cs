using System.Globalization;
using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Relational;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>
/// The storage contract (the workflow spec, rule by rule), written once and run against every
/// engine by a subclass that says how to get a fresh, empty database. Each test starts on its
/// own migrated database; the organisation and apps it needs are pushed through the store.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<RelationalStore> _stores = [];

    protected ManualTimeProvider Time { get; } = new(Start);

    internal RelationalStore Store { get; private set; } = null!;

    /// <summary>The options of <see cref="Store"/>'s database (a second store on them acts as another replica).</summary>
    protected StorageOptions Options { get; private set; } = null!;

    /// <summary>Options for a new, empty database of this engine.</summary>
    protected abstract Task<StorageOptions> NewDatabaseAsync();

    /// <summary>SQL listing the store's tables.</summary>
    protected abstract string ListTablesSql { get; }

    public async Task InitializeAsync()
    {
        Options = await NewDatabaseAsync();
        Store = await OpenStoreAsync(Options);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await CleanUpAsync();
    }

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <summary>A store on the given database through the public factory, migrated unless told not to.</summary>
    internal async Task<RelationalStore> OpenStoreAsync(StorageOptions options, bool migrate = true, Audit.IAuditKeyProtection? auditKeys = null)
    {
        var store = (RelationalStore)GatehouseStoreFactory.Create(options, Time, auditKeys ?? new TestAuditKeyProtection());
        _stores.Add(store);
        if (migrate)
        {
            await store.MigrateAsync();
        }

        return store;
    }

    /// <summary>Every value of every table as text, to prove what is not stored.</summary>
    internal virtual async Task<string> ReadEverythingAsync(RelationalStore store)
    {
        var text = new StringBuilder();
        await using var lease = await store.Engine.OpenAsync(default);
        var tables = new List<string>();
        await using (var command = Db.Command(lease.Connection, null, ListTablesSql))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("tokens", tables);
        foreach (var table in tables)
        {
            await using var command = Db.Command(lease.Connection, null, $"SELECT * FROM {table}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    internal static async Task ExecuteRawAsync(RelationalStore store, string sql)
    {
        await using var lease = await store.Engine.OpenAsync(default);
        await Db.ExecuteAsync(lease.Connection, null, sql, default);
    }

    internal static async Task<long> CountAsync(RelationalStore store, string sql)
    {
        await using var lease = await store.Engine.OpenAsync(default);
        return Convert.ToInt64(await Db.ScalarAsync(lease.Connection, null, sql, default), CultureInfo.InvariantCulture);
    }

    // --- the scenario most tests start from ----------------------------------------------------

    protected const string InvoiceReason = "Print the customer's name on each invoice";

    protected static AccessKey Key(string environment, string consumer = "billing", string scope = "profile.read") =>
        new(consumer, "customers", scope, environment);

    /// <summary>customers (team crm: bob, dave) offers profile.read (owner), profile.write (two owners) and notes.read (auto).</summary>
    protected static ManifestUpload Customers(string? description = "Customer records", params ScopeDeclaration[] scopes) => Upload(
        "customers", "team:crm",
        scopes.Length > 0 ? scopes : [Scope("profile.read"), Scope("profile.write", ApprovalMode.TwoOwners), Scope("notes.read", ApprovalMode.Auto)],
        description: description);

    /// <summary>billing (team payments: alice, carol) needs customers:profile.read in every environment.</summary>
    protected static ManifestUpload Billing(string reason = InvoiceReason, params NeedDeclaration[] needs) => Upload(
        "billing", "team:payments", [Scope("invoices.read")], needs.Length > 0 ? needs : [Need("customers", "profile.read", reason)]);

    protected Task PushOrganisationAsync() => PushOrganisationAsync(Organisation());

    protected async Task PushOrganisationAsync(Core.Organisations.OrganisationFile organisation)
    {
        var result = await Store.PushOrganisationAsync(organisation, SourceText(organisation), Bootstrap, "test-org");
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    protected async Task<PushPlan> PushOkAsync(Actor actor, params ManifestUpload[] uploads)
    {
        var result = await Store.PushAsync(uploads, actor, "test-push");
        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        return result.Value!;
    }

    /// <summary>Organisation, customers pushed by bob, billing pushed by alice: development granted at once, staging and production pending.</summary>
    protected async Task SeedAsync()
    {
        await PushOrganisationAsync();
        await PushOkAsync(User("bob"), Customers());
        await PushOkAsync(User("alice"), Billing());
    }

    protected async Task<AccessRequest> LatestRequestAsync(AccessKey key)
    {
        var requests = await Store.ListRequestsAsync(new RequestQuery(Provider: key.Provider, Consumer: key.Consumer, Environment: key.Environment));
        return requests.Where(r => r.Key == key).MaxBy(r => r.Id) ?? throw new InvalidOperationException($"no request for {key}");
    }

    protected async Task<AccessRequest> DecideOkAsync(AccessKey key, Actor actor, bool approve = true, string? comment = null)
    {
        var request = await LatestRequestAsync(key);
        var result = await Store.DecideAsync(request.Id, actor, approve, comment, "test-decide");
        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        return result.Value!;
    }

    protected async Task<AccessCheck> CheckAsync(AccessKey key) => Assert.Single(await Store.CheckAsync([key]));

    protected async Task<long> AuditCountAsync() => (await Store.VerifyAuditAsync()).EventCount;

    protected async Task<IReadOnlyList<string>> ActionsAfterAsync(long seq) =>
        [.. (await Store.ReadAuditAsync(new AuditQuery(AfterSeq: seq))).Select(e => e.Action)];

    protected static void AssertRefused<T>(StoreResult<T> result, StoreErrorKind kind, string code, params string[] messageParts)
    {
        Assert.False(result.Succeeded, "expected a refusal");
        Assert.Equal(kind, result.ErrorKind);
        Assert.Equal(code, result.ErrorCode);
        foreach (var part in messageParts)
        {
            Assert.Contains(part, result.ErrorMessage, StringComparison.Ordinal);
        }
    }
}
