namespace Gatehouse.Bench.Generation;

/// <summary>
/// Builds a synthetic organisation of N apps: N/10 teams of 3-7 members, 2-6 scopes per app and
/// 1-5 needs of other apps' live scopes. Same seed, same organisation (System.Random with a seed
/// is stable). Deprecated scopes are never needed and two-owners scopes only go to apps with
/// two user owners, so a correct validator reports nothing.
/// </summary>
internal static class OrganisationGenerator
{
    public static SyntheticOrganisation Generate(int appCount, int seed)
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
