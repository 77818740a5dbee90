using System.Text;
using Gatehouse.Core.Manifests;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Manifests;

/// <summary>
/// Random edits of valid files (fixed seed, so a failure replays): reading must never throw
/// and every finding must point inside the file.
/// </summary>
public sealed class ManifestMutationTests
{
    private static readonly string[] Insertions = ["\t", ":", ": ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "- ", "#", "---\n", "\n", "  ", "!!str ", "? ", "|", ">", "\\", "\u00e9", "\r\n"];

    [Theory]
    [InlineData(1, ValidManifest)]
    [InlineData(2, ValidOrganisation)]
    public void ReadingMutatedFiles_NeverThrows_AndEveryFindingHasAPosition(int seed, string original)
    {
        var random = new Random(seed);
        var organisation = Acme();
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var mutated = Mutate(original, random, edits: 1 + random.Next(4));
            var bytes = Encoding.UTF8.GetBytes(mutated);
            if (random.Next(20) == 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
            }

            var manifest = ManifestReader.ReadManifest("m.yaml", bytes, organisation);
            var org = ManifestReader.ReadOrganisation("o.yaml", bytes);

            foreach (var diagnostic in manifest.Diagnostics.Concat(org.Diagnostics))
            {
                Assert.True(diagnostic.Location.Line >= 0 && diagnostic.Location.Column >= 0, $"iteration {iteration}: {diagnostic}\n{mutated}");
                Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
                Assert.Matches("^GH[0-9]{4}$", diagnostic.Code);
            }

            Assert.Equal(manifest.HasErrors, manifest.Value is null);
        }
    }

    private static string Mutate(string text, Random random, int edits)
    {
        var lines = text.Split('\n').ToList();
        for (var i = 0; i < edits; i++)
        {
            var line = random.Next(lines.Count);
            var current = lines[line];
            var at = random.Next(current.Length + 1);
            switch (random.Next(7))
            {
                case 0 when current.Length > 0: lines[line] = current.Remove(Math.Min(at, current.Length - 1), 1); break;
                case 1: lines[line] = current.Insert(at, Insertions[random.Next(Insertions.Length)]); break;
                case 2: lines[line] = current.Insert(at, current.Length > 0 ? current[random.Next(current.Length)].ToString() : " "); break;
                case 3: lines.RemoveAt(line); break;
                case 4: lines.Insert(line, current); break;
                case 5:
                    var other = random.Next(lines.Count);
                    (lines[line], lines[other]) = (lines[other], lines[line]);
                    break;
                default: lines[line] = current.Insert(at, Insertions[random.Next(Insertions.Length)] + Insertions[random.Next(Insertions.Length)]); break;
            }

            if (lines.Count == 0)
            {
                lines.Add("");
            }
        }

        return string.Join('\n', lines);
    }
}
