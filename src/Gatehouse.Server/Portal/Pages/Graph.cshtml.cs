using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Server.Portal.Graph;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>Who needs whom in one environment, drawn on the server as SVG; filter or focus to read a large organisation.</summary>
internal sealed class GraphModel(PortalData data) : PortalPageModel
{
    /// <summary>Beyond this many apps a drawing stops being a picture; the page asks for a filter instead.</summary>
    public const int MaxDrawn = 600;

    public IReadOnlyList<string> Environments { get; private set; } = [];

    public IReadOnlyList<string> Teams { get; private set; } = [];

    public string? Env { get; private set; }

    public string? Q { get; private set; }

    public string? Team { get; private set; }

    public string? Focus { get; private set; }

    /// <summary>A focus name that is no app: said so, and the whole environment drawn instead.</summary>
    public string? UnknownFocus { get; private set; }

    public int Depth { get; private set; } = 1;

    public bool Pending { get; private set; }

    public bool Isolated { get; private set; }

    public int AppCount { get; private set; }

    public IReadOnlyList<GraphEdge> Edges { get; private set; } = [];

    public GraphLayout Layout { get; private set; } = GraphLayout.Empty;

    public bool TooLarge { get; private set; }

    /// <summary>The store returned only part of the environment's connections; focusing shows all of one app's.</summary>
    public bool Incomplete { get; private set; }

    public async Task OnGetAsync(string? env, string? q, string? team, string? focus, int? depth, bool? pending, bool isolated, CancellationToken ct)
    {
        Environments = await data.EnvironmentsAsync(ct);
        var org = await data.OrganisationAsync(ct);
        Teams = org?.Organisation.Teams.Select(t => t.Name).Order(StringComparer.Ordinal).ToList() ?? [];
        Env = env is not null && Environments.Contains(env) ? env : Environments.Contains("production") ? "production" : Environments.Count > 0 ? Environments[0] : null;
        Q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        Team = team is not null && Teams.Contains(team) ? team : null;
        Depth = Math.Clamp(depth ?? 1, 1, 3);
        Pending = pending ?? true;
        Isolated = isolated;
        if (Env is null)
        {
            return;
        }

        var apps = await data.AppsAsync(ct);
        AppCount = apps.Count;
        focus = string.IsNullOrWhiteSpace(focus) ? null : focus.Trim();
        Focus = focus is not null && apps.Any(a => a.Name == focus) ? focus : null;
        UnknownFocus = Focus is null ? focus : null;
        IReadOnlyList<GraphEdge> all;
        var source = new GraphEdgeSource(data.Store);
        if (Focus is not null)
        {
            all = await source.AroundAsync(Focus, Env, Depth, Pending, MaxDrawn, ct);
        }
        else if (apps.Count > MaxDrawn && Q is null && Team is null)
        {
            // Too many apps to draw at all: no need to read every connection to say so.
            TooLarge = true;
            return;
        }
        else
        {
            (all, var complete) = await source.EnvironmentAsync(Env, Pending, ct);
            Incomplete = !complete;
        }

        IReadOnlySet<string>? teamApps = Team is null ? null
            : apps.Where(a => a.Owners.Any(o => o.Kind == OwnerKind.Team && o.Name == Team)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var (nodes, edges) = GraphSelection.Select(apps.Select(a => a.Name).ToList(), all, new GraphFilter(Q, teamApps, Focus, Depth, Isolated));
        Edges = edges;
        TooLarge = nodes.Count > MaxDrawn;
        if (!TooLarge)
        {
            Layout = LayeredLayout.Compute(nodes, edges, Focus, maxPerRow: 16);
        }
    }

    public string FocusUrl(string app) => GraphUrl(focus: app);

    public string GraphUrl(string? focus)
    {
        var query = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder { { "env", Env ?? string.Empty } };
        if (focus is not null)
        {
            query.Add("focus", focus);
            query.Add("depth", Depth.ToString(CultureInfo.InvariantCulture));
        }

        if (!Pending)
        {
            query.Add("pending", "false");
        }

        return "/graph" + query.ToQueryString();
    }

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
