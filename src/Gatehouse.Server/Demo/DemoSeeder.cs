using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage;

namespace Gatehouse.Server.Demo;

/// <summary>
/// Loads the example organisation and gives it a believable history: development access
/// granted by policy, some staging requests approved or denied by their owners, production
/// requests waiting in owners' inboxes. Returns a personal token for every demo user.
/// </summary>
internal static class DemoSeeder
{
    public sealed record DemoUser(string Name, bool IsAdmin, IReadOnlyList<string> Teams, string Token);

    public static async Task<IReadOnlyList<DemoUser>> SeedAsync(IGatehouseStore store, TimeProvider time, CancellationToken ct)
    {
        var bootstrap = new Actor(ActorKind.Bootstrap, "bootstrap");
        var orgFile = DemoOrganisation.Organisation;
        var org = ManifestReader.ReadOrganisation(orgFile.Path, Encoding.UTF8.GetBytes(orgFile.Content));
        if (org.Value is null)
        {
            throw new InvalidOperationException("the embedded example organisation does not validate: " + string.Join("; ", org.Diagnostics));
        }

        Ensure(await store.PushOrganisationAsync(org.Value, orgFile.Content, bootstrap, "demo", ct));
        var uploads = DemoOrganisation.Manifests
            .Select(f => (f, read: ManifestReader.ReadManifest(f.Path, Encoding.UTF8.GetBytes(f.Content), org.Value)))
            .Select(x => new ManifestUpload(x.read.Value ?? throw new InvalidOperationException($"{x.f.Path} does not validate"), x.f.Content))
            .ToList();

        // Manifests are pushed by a person, as in a real organisation: an admin outside every
        // team, so every owner may decide what the push files (nobody decides their own request).
        var pusher = new Actor(ActorKind.User, org.Value.Admins.FirstOrDefault(a => !org.Value.Teams.Any(t => t.Members.Contains(a, StringComparer.Ordinal))) ?? org.Value.Admins[0]);
        Ensure(await store.PushAsync(uploads, pusher, "demo", ct));

        await DecideSomeAsync(store, pusher.Name, ct);

        var users = org.Value.Admins.Concat(org.Value.Teams.SelectMany(t => t.Members)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<DemoUser>();
        foreach (var name in users)
        {
            var info = await store.GetUserAsync(name, ct);
            var token = Ensure(await store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, name), time.GetUtcNow().AddDays(30), "demo", bootstrap, "demo", ct));
            result.Add(new DemoUser(name, info?.IsAdmin ?? false, info?.Teams ?? [], token.Secret));
        }

        return result;
    }

    /// <summary>Owners approve most staging requests and deny one, so every page has history to show.</summary>
    private static async Task DecideSomeAsync(IGatehouseStore store, string pusher, CancellationToken ct)
    {
        var pending = await store.ListRequestsAsync(new RequestQuery(Environment: "staging", State: RequestState.Pending), ct);
        var index = 0;
        foreach (var request in pending)
        {
            var app = await store.GetAppAsync(request.Key.Provider, ct);
            var owners = (app?.OwnerUsers ?? []).Where(o => o != pusher).ToList();
            if (owners.Count == 0)
            {
                continue;
            }

            var first = new Actor(ActorKind.User, owners[0]);
            if (index++ % 7 == 3)
            {
                await store.DecideAsync(request.Id, first, approve: false, "Use the public catalog API instead; this scope is for internal tooling.", "demo", ct);
                continue;
            }

            await store.DecideAsync(request.Id, first, approve: true, "Reason checked, fine for staging.", "demo", ct);
            if (request.RequiredApproval == ApprovalMode.TwoOwners && owners.Count > 1)
            {
                await store.DecideAsync(request.Id, new Actor(ActorKind.User, owners[1]), approve: true, "Second owner: agreed.", "demo", ct);
            }
        }
    }

    private static T Ensure<T>(StoreResult<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"demo seeding failed: {result.ErrorCode} {result.ErrorMessage}");
}
