namespace Gatehouse.Core.Templates;

/// <summary>How many apps are on one version of a template; <see cref="Published"/> is false for a version only apps name.</summary>
public sealed record TemplateVersionUse(string Version, bool Published, int Apps, string? MigrationNote);

/// <summary>A migration note of a version an app has not reached yet.</summary>
public sealed record TemplateMigrationNote(string Version, string Note);

/// <summary>
/// One app on a template: <see cref="Behind"/> counts the published releases newer than its
/// version, up to the latest (null when the template is not published, so nobody can tell);
/// <see cref="Notes"/> are the migration notes between its version and the latest.
/// </summary>
public sealed record TemplateAppStatus(string App, string Version, int? Behind, IReadOnlyList<TemplateMigrationNote> Notes);

/// <summary>One template as the platform sees it: versions with their app counts, and its apps, furthest behind first.</summary>
public sealed record TemplateFleetEntry(
    string Name, string Source, bool Published, string? Latest, IReadOnlyList<TemplateVersionUse> Versions, IReadOnlyList<TemplateAppStatus> Apps)
{
    public int AppsBehind => Apps.Count(a => a.Behind > 0);
}

/// <summary>
/// Every published template with the apps made from it, and the sources apps name that no
/// published template matches (their versions are known, how far behind they are is not).
/// </summary>
public sealed record TemplateFleet(IReadOnlyList<TemplateFleetEntry> Templates)
{
    public static TemplateFleet Build(IReadOnlyList<PublishedTemplate> templates, IReadOnlyList<AppTemplateUse> apps)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(apps);
        var bySource = apps.GroupBy(a => TemplateSourceKey.Of(a.Source), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var entries = new List<TemplateFleetEntry>();
        foreach (var template in templates.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var key = TemplateSourceKey.Of(template.Source);
            entries.Add(Published(template, bySource.Remove(key, out var on) ? on : []));
        }

        foreach (var (_, on) in bySource.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            entries.Add(Unpublished(on));
        }

        return new TemplateFleet(entries);
    }

    private static TemplateFleetEntry Published(PublishedTemplate template, List<AppTemplateUse> apps)
    {
        var versions = template.Versions.OrderBy(v => v.Version).ToList();
        var releases = versions.Where(v => v.Version.PreRelease is null).ToList();
        var latest = releases.Count > 0 ? releases[^1].Version : versions.Count > 0 ? versions[^1].Version : null;
        var statuses = apps.Select(a =>
        {
            if (latest is null)
            {
                return new TemplateAppStatus(a.App, a.Version.ToString(), 0, []);
            }

            var behind = releases.Count(v => v.Version > a.Version && v.Version <= latest);
            var notes = versions.Where(v => v.Version > a.Version && v.Version <= latest && !string.IsNullOrWhiteSpace(v.MigrationNote))
                .Select(v => new TemplateMigrationNote(v.Version.ToString(), v.MigrationNote!)).ToList();
            return new TemplateAppStatus(a.App, a.Version.ToString(), behind, notes);
        });
        var counts = apps.GroupBy(a => a.Version).ToDictionary(g => g.Key, g => g.Count());
        var uses = versions.Select(v => new TemplateVersionUse(v.Version.ToString(), true, counts.GetValueOrDefault(v.Version), v.MigrationNote))
            .Concat(counts.Keys.Where(v => versions.All(p => p.Version != v)).Select(v => new TemplateVersionUse(v.ToString(), false, counts[v], null)))
            .OrderByDescending(u => SemVersion.TryParse(u.Version))
            .ToList();
        return new TemplateFleetEntry(template.Name, template.Source, true, latest?.ToString(), uses, Order(statuses));
    }

    private static TemplateFleetEntry Unpublished(List<AppTemplateUse> apps)
    {
        var uses = apps.GroupBy(a => a.Version).OrderByDescending(g => g.Key)
            .Select(g => new TemplateVersionUse(g.Key.ToString(), false, g.Count(), null)).ToList();
        var source = apps.Select(a => a.Source).Order(StringComparer.Ordinal).First();
        return new TemplateFleetEntry(source, source, false, null, uses, Order(apps.Select(a => new TemplateAppStatus(a.App, a.Version.ToString(), null, []))));
    }

    private static List<TemplateAppStatus> Order(IEnumerable<TemplateAppStatus> apps) =>
        [.. apps.OrderByDescending(a => a.Behind ?? 0).ThenBy(a => a.App, StringComparer.Ordinal)];
}
