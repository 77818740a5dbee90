using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Access;

namespace Gatehouse.Server.Audit;

/// <summary>
/// A checkpoint as JSON: what <c>GET /api/v1/audit/head</c> answers and
/// <c>POST /api/v1/audit/verify</c> takes back; readable, so an operator sees what it pins.
/// </summary>
internal sealed partial record AuditCheckpointDocument(
    string Type,
    int Version,
    long Seq,
    string Hash,
    string At,
    string KeyId,
    long Stride,
    IReadOnlyList<string> Marks,
    string Signature)
{
    public const string TypeName = "gatehouse-audit-checkpoint";

    /// <summary>The largest checkpoint body accepted (1,024 marks take about 20 KB).</summary>
    public const int MaxBytes = 64 * 1024;

    public static AuditCheckpointDocument From(AuditCheckpoint c) => new(
        TypeName, 1, c.Seq, c.Hash, c.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), c.KeyId, c.Stride, c.Marks, c.Signature);

    /// <summary>Reads a checkpoint, or says every way it is not one (each naming its field).</summary>
    public static (AuditCheckpoint? Checkpoint, IReadOnlyList<string> Problems) Read(JsonElement json)
    {
        var problems = new List<string>();
        if (json.ValueKind != JsonValueKind.Object)
        {
            return (null, ["the checkpoint is not a JSON object; pass the file `gatehouse audit head` printed"]);
        }

        if (Text(json, "type") != TypeName)
        {
            problems.Add($"`type` is not `{TypeName}`: this is not a checkpoint `gatehouse audit head` printed");
        }

        if (Number(json, "version") != 1)
        {
            problems.Add("`version` must be 1");
        }

        var seq = Number(json, "seq");
        if (seq is not >= 0)
        {
            problems.Add("`seq` must be a whole number of 0 or more");
        }

        var hash = Text(json, "hash");
        if (hash is null || !HexPattern().IsMatch(hash) || hash.Length != 64)
        {
            problems.Add("`hash` must be 64 lower-case hex digits");
        }

        var at = Text(json, "at");
        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            problems.Add("`at` must be a date and time such as 2026-11-01T09:30:00.000Z");
        }

        var keyId = Text(json, "keyId");
        if (string.IsNullOrEmpty(keyId))
        {
            problems.Add("`keyId` is missing");
        }

        var stride = Number(json, "stride");
        if (stride is not >= 1)
        {
            problems.Add("`stride` must be a whole number of 1 or more");
        }

        var marks = ReadMarks(json, problems);
        if (seq is >= 0 && stride is >= 1 && marks is not null && marks.Count != seq / stride)
        {
            problems.Add($"`marks` must hold {seq / stride} marks for seq {seq} and stride {stride}, not {marks.Count}");
        }

        var signature = Text(json, "signature");
        if (string.IsNullOrEmpty(signature))
        {
            problems.Add("`signature` is missing");
        }

        return problems.Count > 0
            ? (null, problems)
            : (new AuditCheckpoint(seq!.Value, hash!, when, keyId!, stride!.Value, marks!, signature!), problems);
    }

    private static List<string>? ReadMarks(JsonElement json, List<string> problems)
    {
        if (!json.TryGetProperty("marks", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("`marks` must be a list");
            return null;
        }

        var marks = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            var mark = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (mark is null || mark.Length != AuditCheckpoints.MarkLength || !HexPattern().IsMatch(mark))
            {
                problems.Add($"`marks[{marks.Count}]` must be {AuditCheckpoints.MarkLength} lower-case hex digits");
                return null;
            }

            marks.Add(mark);
        }

        return marks;
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    [GeneratedRegex("^[0-9a-f]+$")]
    private static partial Regex HexPattern();
}
