using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Approvals;

/// <summary>Access requests: list, inspect, approve, deny. The store enforces who may decide.</summary>
internal static class RequestEndpoints
{
    internal sealed record DecisionBody(string? Comment, bool? Emergency = null);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/requests", async (HttpContext http, IGatehouseStore store, string? state, string? provider, string? consumer, string? env, bool? mine, CancellationToken ct) =>
        {
            RequestState? parsed = null;
            if (state is not null)
            {
                if (!Enum.TryParse<RequestState>(state, ignoreCase: true, out var s))
                {
                    return ApiProblems.Result(400, ApiErrors.UnknownRequestState, $"Unknown state `{state}`: use pending, approved, denied or superseded.");
                }

                parsed = s;
            }

            var actor = http.User.ToActor();
            var query = new RequestQuery(provider, consumer, env, parsed, mine == true ? actor.Name : null);
            return JsonApiResult.Ok(new { requests = await store.ListRequestsAsync(query, ct) });
        }).WithName("ListRequests");

        api.MapGet("/requests/{id:long}", async (long id, IGatehouseStore store, CancellationToken ct) =>
            await store.GetRequestAsync(id, ct) is { } request
                ? JsonApiResult.Ok(request)
                : ApiProblems.Result(404, StoreErrors.RequestNotFound, $"There is no request {id}."))
            .WithName("GetRequest");

        api.MapPost("/requests/{id:long}/approve", (long id, DecisionBody? body, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
            Decide(id, approve: true, body?.Comment, http, store, ct, body?.Emergency == true))
            .AddEndpointFilter<IdempotencyFilter>().WithName("ApproveRequest");

        api.MapPost("/requests/{id:long}/deny", (long id, DecisionBody? body, HttpContext http, IGatehouseStore store, CancellationToken ct) =>
            Decide(id, approve: false, body?.Comment, http, store, ct))
            .AddEndpointFilter<IdempotencyFilter>().WithName("DenyRequest");
    }

    private static async Task<IResult> Decide(long id, bool approve, string? comment, HttpContext http, IGatehouseStore store, CancellationToken ct, bool emergency = false)
    {
        var result = await store.DecideAsync(id, http.User.ToActor(), approve, comment, http.TraceIdentifier, emergency, ct);
        return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
    }
}
