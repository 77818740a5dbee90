namespace Gatehouse.Bench.Generation;

/// <summary>
/// Builds a synthetic organisation of N apps: N/10 teams of 3-7 members, 2-6 scopes per app and
/// 1-5 needs of other apps' live scopes. Same seed, same organisation (System.Random with a seed
/// is stable). Deprecated scopes are never needed and two-owners scopes only go to apps with
/// two user owners, so a correct validator reports nothing.
/// With <c>grants</c>, development-only needs are added after that (see <see cref="AddGrants"/>).
/// </summary>
internal static class OrganisationGenerator
{
    public static SyntheticOrganisation Generate(int appCount, int seed, int grants = 0)
    {
        var org = Generate(appCount, seed);
        if (grants > 0)
        {
            AddGrants(new Random(seed + 1), org.Apps, grants);
        }

        return org;
    }

    /// <summary>
    /// How many grants a first push makes at once, by the organisation's policies: in development
    /// (approval auto) every needed scope but the two-owners ones; in staging (approval by scope)
    /// the scopes whose approval is auto; in production (owner) none.
    /// </summary>
    public static int AutomaticGrants(IReadOnlyList<SyntheticApp> apps)
    {
        var approvals = apps.ToDictionary(a => a.Name, a => a.Scopes.ToDictionary(s => s.Name, s => s.Approval), StringComparer.Ordinal);
        var count = 0;
        foreach (var need in apps.SelectMany(a => a.Needs))
        {
            foreach (var scope in need.Scopes)
            {
                var approval = approvals[need.App][scope];
                var environments = need.Environments ?? ["development", "staging", "production"];
                count += environments.Count(e => e == "development" ? approval != "two-owners" : e == "staging" && approval == "auto");
            }
        }

        return count;
    }

    /// <summary>
    /// Tops the organisation up to <paramref name="target"/> automatic grants with needs of
    /// development only, which the development policy grants at once and which file no pending
    /// request elsewhere: each app in turn needs every live, not two-owners scope of one more app
    /// it did not need yet, the last need cut to the exact count. A separate random stream, so the
    /// organisation without <c>--grants</c> stays byte for byte what it was.
    /// </summary>
    private static void AddGrants(Random random, IReadOnlyList<SyntheticApp> apps, int target)
    {
        var missing = target - AutomaticGrants(apps);
        var needed = apps.Select(a => a.Needs.Select(n => n.App).ToHashSet(StringComparer.Ordinal)).ToList();
        var stalled = 0;
        for (var i = 0; missing > 0 && stalled < apps.Count; i = (i + 1) % apps.Count)
        {
            var app = apps[i];
            var provider = apps[random.Next(apps.Count)];
            var scopes = provider.Scopes.Where(s => s.ReplacedBy is null && s.Approval != "two-owners").Select(s => s.Name).Take(missing).ToList();
            if (provider == app || scopes.Count == 0 || !needed[i].Add(provider.Name))
            {
                stalled++;
                continue;
            }

            stalled = 0;
            var reason = $"{Pick(random, Vocabulary.Purposes)} ({Pick(random, Vocabulary.Details)})";
            app.Needs.Add(new SyntheticNeed(provider.Name, scopes, reason, ["development"]));
            missing -= scopes.Count;
        }

        if (missing > 0)
        {
            throw new ArgumentException($"{apps.Count} apps cannot hold {target} grants: use more apps");
        }
    }

    private static SyntheticOrganisation Generate(int appCount, int seed)
    {
        var random = new Random(seed);
        var teams = Teams(random, Math.Max(1, appCount / 10));
        var apps = Enumerable.Range(1, appCount).Select(i => App(random, $"app-{i:D5}", teams[random.Next(teams.Count)])).ToList();
        foreach (var app in apps)
        {
            AddNeeds(random, app, apps);
        }

        return new SyntheticOrganisation([teams[0].Members[0], teams[0].Members[1]], teams, apps);
    }

    private static List<SyntheticTeam> Teams(Random random, int count)
    {
        var user = 0;
        return Enumerable.Range(1, count).Select(t => new SyntheticTeam(
            $"team-{t:D4}",
            $"Owns the {Pick(random, Vocabulary.Domains)} services of region {t % 7 + 1}",
            Enumerable.Range(0, random.Next(3, 8)).Select(_ => $"user-{++user:D5}").ToList())).ToList();
    }

    private static SyntheticApp App(Random random, string name, SyntheticTeam team)
    {
        var users = Distinct(random, team.Members.Count, random.Next(0, 3)).Select(i => $"user:{team.Members[i]}").ToList();
        var pairs = Distinct(random, Vocabulary.Resources.Length * Vocabulary.Actions.Length, random.Next(2, 7));
        var scopes = pairs.Select(p => Scope(random, Vocabulary.Resources[p / Vocabulary.Actions.Length], Vocabulary.Actions[p % Vocabulary.Actions.Length], users.Count >= 2)).ToList();
        if (random.NextDouble() < 0.05)
        {
            var replacement = scopes[0].Name;
            scopes.Add(new SyntheticScope($"{replacement.Split('.')[0]}.legacy", "The v1 endpoints, kept for old clients", null, replacement));
        }

        var domain = Pick(random, Vocabulary.Domains);
        var description = $"The {domain} service {Pick(random, Vocabulary.Contexts)}, run by {team.Name}";
        return new SyntheticApp(name, description, [$"team:{team.Name}", .. users], scopes);
    }

    private static SyntheticScope Scope(Random random, string resource, (string Action, string Phrase) action, bool twoOwnersAllowed)
    {
        var roll = random.NextDouble();
        var approval = roll < 0.25 ? "auto" : roll < 0.35 && twoOwnersAllowed ? "two-owners" : null;
        return new SyntheticScope($"{resource}.{action.Action}", $"{action.Phrase} {resource.Replace('-', ' ')} {Pick(random, Vocabulary.Contexts)}", approval, null);
    }

    private static void AddNeeds(Random random, SyntheticApp app, List<SyntheticApp> apps)
    {
        var providers = new HashSet<int>();
        var wanted = Math.Min(random.Next(1, 6), apps.Count - 1);
        while (providers.Count < wanted)
        {
            var candidate = random.Next(apps.Count);
            if (apps[candidate] != app && providers.Add(candidate))
            {
                var live = apps[candidate].Scopes.Where(s => s.ReplacedBy is null).ToList();
                var scopes = Distinct(random, live.Count, random.Next(1, Math.Min(3, live.Count) + 1)).Select(i => live[i].Name).ToList();
                var roll = random.NextDouble();
                string[]? environments = roll < 0.15 ? ["staging", "production"] : roll < 0.25 ? ["production"] : null;
                var reason = $"{Pick(random, Vocabulary.Purposes)} ({Pick(random, Vocabulary.Details)})";
                app.Needs.Add(new SyntheticNeed(apps[candidate].Name, scopes, reason, environments));
            }
        }
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];

    // k distinct indices below n, in random order (partial Fisher-Yates).
    private static List<int> Distinct(Random random, int n, int k)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = random.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return indices[..k].ToList();
    }
}
