using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Yaml;

/// <summary>
/// The outcome of reading one YAML file. <see cref="Root"/> is null after a fatal problem
/// (the diagnostics then hold exactly that one problem); otherwise it may come with
/// non-fatal findings such as duplicate keys.
/// </summary>
internal sealed record YamlDocument(string? Text, YamlNode? Root, IReadOnlyList<Diagnostic> Diagnostics);
