using System.Net;
using AuthPlatform.Application;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Infrastructure;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using AuthPlatform.WebApi.Startup;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;

services.AddApplication();
services.AddInfrastructure(builder.Configuration);
services.AddMediator((MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(LoggingBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(UnitOfWorkBehaviour<,>)];
});

services.AddHttpContextAccessor();
services.AddScoped<IClientContext, HttpClientContext>();
services.AddExceptionHandler<GlobalExceptionHandler>();
services.AddProblemDetails();

services.AddControllers(mvc => mvc.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true)
    .AddJsonOptions(json => JsonDefaults.Apply(json.JsonSerializerOptions))
    .ConfigureApiBehaviorOptions(api =>
    {
        api.InvalidModelStateResponseFactory = InvalidModelState.Respond;
        api.SuppressMapClientErrors = true; // bare 404/405/415 results become our problems in UseStatusCodePages
    });

services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
services.AddAuthorization();
services.AddSingleton<IAuthorizationPolicyProvider, ScopePolicy>();
services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeForbiddenResultHandler>();

services.AddAuthPlatformRateLimiting(builder.Configuration);

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

services.AddHealthChecks()
    .AddDbContextCheck<AuthDbContext>("database", tags: ["ready"]);
services.AddOpenApi(openApi => openApi.AddDocumentTransformer<OpenApiDocumentSetup>());

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages(async context =>
{
    var http = context.HttpContext;
    if (!http.Response.HasStarted && http.Response.ContentLength is null)
    {
        var code = http.Response.StatusCode switch
        {
            404 => AuthPlatform.Application.Common.Results.ErrorCodes.NotFound,
            405 => Problems.MethodNotAllowed,
            415 => Problems.UnsupportedMediaType,
            _ => null,
        };
        if (code is not null)
        {
            var detail = code == Problems.UnsupportedMediaType
                ? "Send the request body as application/json."
                : $"No resource answers {http.Request.Method} {http.Request.Path} this way.";
            await Problems.WriteAsync(http, new AuthPlatform.Application.Common.Results.Error(code, detail));
        }
    }
});
if (knownProxies.Length > 0)
{
    app.UseForwardedHeaders();
}

app.UseBodySizeLimit();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResultStatusCodes = { [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
});
app.MapOpenApi("/openapi/{documentName}.json");
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/scalar");
}

app.MapControllers();

await app.InitializeAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
