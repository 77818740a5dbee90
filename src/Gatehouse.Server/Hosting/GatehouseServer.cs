using Gatehouse.Server.Api;
using Gatehouse.Server.ApiTokens;
using Gatehouse.Server.Approvals;
using Gatehouse.Server.Audit;
using Gatehouse.Server.Catalogue;
using Gatehouse.Server.Checks;
using Gatehouse.Server.Decisions;
using Gatehouse.Server.Gateway;
using Gatehouse.Server.Grants;
using Gatehouse.Server.Health;
using Gatehouse.Server.Identity;
using Gatehouse.Server.Identity.Ci;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.Manifests;
using Gatehouse.Server.Notifications;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Clients;
using Gatehouse.Server.Observability;
using Gatehouse.Server.Portal;
using Gatehouse.Server.Reports;
using Gatehouse.Server.Usage;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Hosting;

/// <summary>Builds the Gatehouse web application: API, health, OpenAPI. Used by <c>gatehouse serve</c> and by tests.</summary>
public static class GatehouseServer
{
    /// <param name="time">The clock of every answer (tests pass a fake one, shared with the store); the system clock by default.</param>
    public static WebApplication Build(string[] args, GatehouseOptions options, IGatehouseStore store, TimeProvider? time = null)
    {
        ThreadPoolFloor.Apply();
        // No watching of the content root (the working directory) for configuration changes:
        // Gatehouse is configured by GATEHOUSE_* variables, and on Linux the watcher takes one
        // inotify watch per folder below it, recursively (30,893 when started in this repository,
        // and the whole file system when a service starts in /).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"], ApplicationName = typeof(GatehouseServer).Assembly.GetName().Name });
        ConfigureLogging(builder, options);
        builder.AddGatehouseObservability(ObservabilityOptions.Load(builder.Configuration));

        var services = builder.Services;
        services.AddSingleton(PublicUrl.Load(builder.Configuration, options.Demo));
        services.AddSingleton<PublicUrl>();
        services.AddHostedService<PublicUrlAnnouncement>();
        services.AddHostedService<Reviews.ReviewDeadlineService>();
        services.AddGatehouseRateLimits(RateLimitOptions.Load(builder.Configuration));
        services.AddSingleton<SecurityMetrics>();
        services.AddExceptionHandler<ApiExceptionHandler>();

        // A body the endpoint cannot read throws, so ApiExceptionHandler answers it with Problem
        // Details instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(time ?? TimeProvider.System);
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Gatehouse";
            document.Info.Description = "Access between apps, declared in gatehouse.yaml and approved by the owners of the data. Every /api route needs `Authorization: Bearer <token>`. Errors are RFC 9457 Problem Details with a stable `code`.";
            return Task.CompletedTask;
        }));
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddGatehouseKeyProtection();
        services.AddGatehousePortal();
        services.AddScoped<IdempotencyFilter>();
        services.AddSingleton<DecisionCache>();
        services.AddSingleton<BearerSecrets>();
        services.AddSingleton<HotPaths>();
        services.AddSingleton<CiIssuerKeys>();
        services.AddSingleton<CiTokenValidator>();
        services.AddGatehouseOAuth(options, builder.Configuration);
        services.AddGatehouseForwardAuth(builder.Configuration);
        services.AddSingleton(sp => Storage.Templates.TemplateStoreFactory.For(sp.GetRequiredService<Storage.IGatehouseStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddGatehouseUsage(builder.Configuration);
        services.AddGatehouseNotifications(builder.Configuration);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        var app = builder.Build();
        if (app.Services.GetService<AccessLog>() is { } accessLog)
        {
            app.Use(accessLog.Middleware);
        }

        _ = app.Services.GetRequiredService<ServerGauges>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : 500,

            // ApiExceptionHandler logs what is a bug itself, with the request id its answer names.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseGatehouseHostFiltering();

        // The run-time hot paths skip what has nothing to decide for them (ADR 0034).
        app.Use(app.Services.GetRequiredService<HotPaths>().Middleware);

        // Before routing and authentication: proxies call it on every request, it authenticates
        // the caller's access token itself and answers from memory (ADR 0027).
        ForwardAuthEndpoint.Map(app);
        app.UseRouting();
        app.Use(ApiRouteProblems.Middleware);
        app.Use((context, next) =>
        {
            // Buffer a body only when the idempotency filter will fingerprint it after binding: a
            // check or decision (a POST that reads) is not worth a buffering stream.
            var method = context.Request.Method;
            if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method))
                && context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                context.Request.EnableBuffering();
            }

            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && context.GetEndpoint()?.Metadata.GetMetadata<ReadsOnly>() is null)
            {
                ChangeVersionOfWrites.Collect(context);
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        HealthEndpoints.Map(app);
        app.MapGatehouseMetrics();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        CatalogueEndpoints.Map(api);
        PushEndpoints.Map(api);
        RequestEndpoints.Map(api);
        GrantEndpoints.Map(api);
        Reviews.ReviewEndpoints.Map(api);
        CheckEndpoint.Map(api);
        AuditEndpoints.Map(api);
        TokenEndpoints.Map(api);
        ClientEndpoints.Map(api);
        DecisionEndpoints.Map(api);
        Templates.TemplateEndpoints.Map(api);
        ReportEndpoints.Map(api);
        NotificationEndpoints.Map(api);
        OAuthEndpoints.Map(app);
        app.MapGatehousePortal();
        return app;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, GatehouseOptions options)
    {
        builder.Logging.ClearProviders();
        if (options.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // A start that fails (a busy port, an unreachable database, a wrong key-encryption key) is
        // reported in one line by whoever started the host; the host would also log it with its
        // stack trace (issue 9). What stops a running host is logged at Critical and still shows.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
