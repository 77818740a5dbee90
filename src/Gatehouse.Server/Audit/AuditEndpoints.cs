using System.Text.Json;
using Gatehouse.Server.Api;
using Gatehouse.Storage;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gatehouse.Server.Audit;

/// <summary>
/// The audit log (visible to every authenticated caller), its chain verification, and the
/// checkpoints an operator keeps outside the database (ADR 0012).
/// </summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (IGatehouseStore store, string? app, string? actor, string? action, string? since, string? until, string? after, string? before, string? limit, string? order, CancellationToken ct) =>
        {
            var (query, problems) = AuditQueryReader.Read(new AuditQueryText(app, actor, action, since, until, after, before, limit, order));
            return query is null
                ? ApiProblems.Result(StatusCodes.Status400BadRequest, StoreErrors.AuditQueryInvalid, "The audit query is not valid: " + string.Join("; ", problems) + ".")
                : JsonApiResult.Ok(new { events = await store.ReadAuditAsync(query, ct) });
        }).AddOpenApiOperationTransformer(DescribeQuery).WithName("ReadAudit");

        api.MapGet("/audit/verify", async (IGatehouseStore store, CancellationToken ct) =>
            JsonApiResult.Ok(await store.VerifyAuditAsync(ct)))
            .WithName("VerifyAudit");

        api.MapPost("/audit/verify", async (HttpRequest request, IGatehouseStore store, CancellationToken ct) =>
        {
            var (checkpoint, problem) = await ReadCheckpointAsync(request, ct);
            if (checkpoint is null)
            {
                return ApiProblems.Result(StatusCodes.Status400BadRequest, StoreErrors.AuditCheckpointUnreadable, problem!);
            }

            var result = await store.VerifyAuditAsync(checkpoint, ct);
            return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
        }).Accepts<AuditCheckpointDocument>("application/json").WithName("VerifyAuditAgainstCheckpoint");

        api.MapGet("/audit/head", async (IGatehouseStore store, CancellationToken ct) =>
        {
            var result = await store.CreateAuditCheckpointAsync(ct);
            return result.Succeeded ? JsonApiResult.Ok(AuditCheckpointDocument.From(result.Value!)) : ApiProblems.From(result);
        }).Produces<AuditCheckpointDocument>().WithName("AuditHead");
    }

    // The parameters are bound as text (a bad value gets GH4144 naming it, not a bare 400); the
    // document still says what each one takes.
    private static Task DescribeQuery(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            (parameter.Description, var type) = parameter.Name switch
            {
                "app" => ("Only events about this app, as consumer or provider", JsonSchemaType.String),
                "since" => ("Only events at or after this time: ISO 8601 date or date-time, UTC unless it has an offset", JsonSchemaType.String),
                "until" => ("Only events before this time (exclusive): ISO 8601 date or date-time, UTC unless it has an offset", JsonSchemaType.String),
                "after" => ("Only events after this seq (page forwards, oldest first)", JsonSchemaType.Integer),
                "before" => ("Only events before this seq (page backwards, newest first)", JsonSchemaType.Integer),
                "limit" => ($"At most this many events (default {AuditQueryReader.DefaultLimit}, at most {AuditQueryReader.MaxLimit})", JsonSchemaType.Integer),
                "order" => ("`oldest` (default) or `newest` first", JsonSchemaType.String),
                _ => (parameter.Description, JsonSchemaType.String),
            };
            parameter.Schema = new OpenApiSchema { Type = type };
        }

        return Task.CompletedTask;
    }

    private static async Task<(Core.Access.AuditCheckpoint? Checkpoint, string? Problem)> ReadCheckpointAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > AuditCheckpointDocument.MaxBytes)
        {
            return (null, $"The checkpoint is larger than {AuditCheckpointDocument.MaxBytes / 1024} KB: pass the file `gatehouse audit head` printed.");
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > AuditCheckpointDocument.MaxBytes)
            {
                return (null, $"The checkpoint is larger than {AuditCheckpointDocument.MaxBytes / 1024} KB: pass the file `gatehouse audit head` printed.");
            }

            body.Write(buffer, 0, read);
        }

        try
        {
            using var json = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
            var (checkpoint, problems) = AuditCheckpointDocument.Read(json.RootElement);
            return checkpoint is null ? (null, "The checkpoint is not valid: " + string.Join("; ", problems) + ".") : (checkpoint, null);
        }
        catch (JsonException e)
        {
            return (null, $"The checkpoint is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): pass the file `gatehouse audit head` printed.");
        }
    }
}
