// {{ app }}: {{ description }}
// Made from the aspnet-service template; update with 'gatehouse template update'.
var builder = WebApplication.CreateBuilder(args);

// Configuration from the environment: Gatehouse__Authority, Gatehouse__Environment (and appsettings.json).
builder.Services.AddGatehouseTokens(options =>
{
    options.Authority = builder.Configuration["Gatehouse:Authority"];
    options.App = "{{ app }}";
    options.Environment = builder.Configuration["Gatehouse:Environment"];
    options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// One endpoint per scope the app offers (gatehouse.yaml): a caller's token must carry it.
{%- assign scope_list = scopes | split: "," %}
{%- for scope in scope_list %}
app.MapGet("/{{ scope | strip | replace: ".", "/" }}", () => Results.Ok(new { scope = "{{ app }}:{{ scope | strip }}" }))
    .RequireScope("{{ app }}:{{ scope | strip }}");
{%- endfor %}

app.MapGet("/healthz", () => "ok").AllowAnonymous();

app.Run();
