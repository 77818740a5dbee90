namespace Gatehouse.Core.Templates;

/// <summary>One version of a published template, with the migration note its authors wrote for it.</summary>
public sealed record PublishedTemplateVersion(SemVersion Version, string? MigrationNote);

/// <summary>A template the platform published to the server: its name, where projects fetch it from, its versions.</summary>
public sealed record PublishedTemplate(string Name, string Source, IReadOnlyList<PublishedTemplateVersion> Versions);

/// <summary>What an app's last push said about the template it was made from.</summary>
public sealed record AppTemplateUse(string App, string Source, SemVersion Version);
