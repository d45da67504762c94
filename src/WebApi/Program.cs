using System.Net;
using AuthPlatform.Application;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Endpoints;
using AuthPlatform.WebApi.Http;
using AuthPlatform.WebApi.Startup;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
StartupConfigurationValidator.ThrowIfInvalid(builder.Configuration); // before any service exists: one line per bad setting, exit code 1

var services = builder.Services;
builder.AddObservability();
builder.AddGracefulShutdown();

services.AddApplication();
services.AddInfrastructure(builder.Configuration);
services.AddMediator((MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(TracingBehaviour<,>), typeof(LoggingBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(UnitOfWorkBehaviour<,>)];
});

services.AddHttpContextAccessor();
services.AddScoped<IClientContext, HttpClientContext>();
services.AddExceptionHandler<GlobalExceptionHandler>();
services.AddProblemDetails();
services.AddSingleton<ExtensionErrorStatuses>();

services.AddControllers(mvc => mvc.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true)
    .AddJsonOptions(json => JsonDefaults.Apply(json.JsonSerializerOptions))
    .ConfigureApiBehaviorOptions(api =>
    {
        api.InvalidModelStateResponseFactory = InvalidModelState.Respond;
        api.SuppressMapClientErrors = true; // 404/405/415 get our problem body from the status-code pages
    });

services.AddSingleton<BearerAuthenticationHandler.LoggerSource>();
services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null)
    .AddBrowserSignIn(services, builder.Environment); // the /oauth/authorize pages' cookie and antiforgery
services.AddSingleton<CrossSiteRequestCheck>();
services.AddSingleton<RefreshTokenCookie>(); // the dashboard's refresh token (SPEC section 9)
services.AddAuthorization();
services.AddSingleton<IAuthorizationPolicyProvider, ScopePolicy>();
services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
services.AddSingleton<IAuthorizationHandler, SessionRequirementHandler>();
services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeForbiddenResultHandler>();

services.AddAuthPlatformRateLimiting(builder.Configuration);
services.AddHttpSecurity(builder.Configuration, builder.Environment);

// X-Forwarded-For is honoured only from proxies the operator names (RL-02).
var knownProxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
services.Configure<ForwardedHeadersOptions>(forwarded =>
{
    forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    forwarded.KnownIPNetworks.Clear();
    forwarded.KnownProxies.Clear();
    foreach (var proxy in knownProxies)
    {
        forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
    }
});

var healthChecks = services.AddHealthChecks()
    .AddDbContextCheck<AuthDbContext>("database", tags: ["ready"]);
AuthPlatform.Infrastructure.Cluster.RedisHealthCheck.AddTo(healthChecks, builder.Configuration); // Degraded (200) while Redis is out of reach
services.ConfigureHttpJsonOptions(json => JsonDefaults.Apply(json.SerializerOptions)); // the OpenAPI document's schemas use these names
services.AddOpenApiContract();

// Last, so that what an extension registers wins over the defaults (docs/extending.md).
services.AddConfiguredExtensions(builder.Configuration);
if (OpenApiBuildTime.IsGeneratingDocument)
{
    services.AddBuildTimeDocumentHost();
}

var app = builder.Build();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages(context =>
{
    var http = context.HttpContext;
    var error = http.Response.StatusCode switch
    {
        404 => new Error(ErrorCodes.NotFound, $"No resource answers {http.Request.Method} {http.Request.Path}."),
        405 => new Error(ErrorCodes.MethodNotAllowed, $"{http.Request.Path} does not answer {http.Request.Method}."),
        415 => new Error(ErrorCodes.UnsupportedMediaType, "Send the body as application/json."),
        _ => null,
    };
    return error is null || http.Response.HasStarted ? Task.CompletedTask : Problems.WriteAsync(http, error);
});
if (knownProxies.Length > 0)
{
    app.UseForwardedHeaders();
}

app.UseHttpSecurity();
app.UseBodySizeLimit();
app.UseDashboard(); // the static dashboard at / (SPEC section 9): before throttling and authentication, it needs neither
// Throttling first: its policies key on the client address only, so a throttled request costs
// no credential check (API-key reads have a budget of their own inside authentication).
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

const string OperationsTag = "Operations";
const string OperationsTagDescription = "Probes for orchestrators and load balancers; plain text, no authentication.";
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
    .WithMetadata(new PlainTextEndpointAttribute("HealthLive", OperationsTag, OperationsTagDescription, "Liveness probe", "200 `Healthy` while the process is up; touches nothing else.", 200));
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResultStatusCodes = { [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
}).WithMetadata(new PlainTextEndpointAttribute(
    "HealthReady", OperationsTag, OperationsTagDescription, "Readiness probe", "200 `Healthy` when the database answers (`Degraded` when Redis is configured but out of reach), 503 `Unhealthy` when the database does not.", 200, 503));
app.MapOpenApi("/openapi/{documentName}.json");
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/scalar");
}

app.MapControllers();
app.MapVerifyEndpoint();
app.MapAuthorizeEndpoints();
app.MapDeviceEndpoints();
app.UseObservability();

if (!OpenApiBuildTime.IsGeneratingDocument) // at build time (docs/openapi/v1.json) nothing touches a database or a port
{
    await ServiceChecks.ThrowIfInvalidAsync(app); // the bootstrap administrator by the policy in use, the listening ports
    await app.InitializeAsync();
}

await app.RunCheckedAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
