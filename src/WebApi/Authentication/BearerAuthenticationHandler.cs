// Longer than 150 lines because one parser serves the three accepted credential forms and the RFC 6750 challenges.
using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// The one authentication scheme of the API. It reads the credential, picks the validator by
/// its shape (a JWT access token, or an API key: prefix, length, checksum) and answers
/// challenges as RFC 6750 problems. Nothing here reads the database for a JWT, nor for a key
/// verified (or found unknown) lately; a key that does cost a read takes it from its client
/// address's <see cref="CredentialLookupBudget"/> first, and a spent budget answers 429.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    BearerAuthenticationHandler.LoggerSource logger,
    UrlEncoder encoder,
    IAccessTokenValidator accessTokens,
    IApiKeyAuthenticator apiKeys,
    CredentialLookupBudget lookups) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "AuthPlatform.AuthFailure";
    private const string CallerKey = "AuthPlatform.Caller";
    private const string RetryAfterKey = "AuthPlatform.RetryAfter";
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CallerIdentityResult, ClaimsPrincipal> Principals = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Credentials in URLs end up in logs and browser history (KEY-02, CL-04): refused outright.
        if (Request.Query.ContainsKey("api_key"))
        {
            return Fail(ErrorCodes.InvalidApiKey, "API keys are not accepted in the URL: send the key in a header.");
        }

        if (Request.Query.ContainsKey("access_token"))
        {
            return Fail(ErrorCodes.InvalidToken, "Access tokens are not accepted in the URL: send the token in the Authorization header.");
        }

        var credential = ReadCredential(out var fromApiKeyHeader);
        if (credential is null)
        {
            return AuthenticateResult.NoResult();
        }

        TokenValidation validation;
        if (!fromApiKeyHeader && accessTokens.LooksLikeJwt(credential))
        {
            validation = await accessTokens.ValidateAsync(credential, Context.RequestAborted);
        }
        else if (fromApiKeyHeader || apiKeys.LooksLikeApiKey(credential))
        {
            if (!apiKeys.TryAuthenticateFromMemory(credential, out validation))
            {
                // Only a key that memory cannot answer costs a database read: on a budget per client address.
                if (await lookups.TryTakeAsync(Context) is { } retryAfter)
                {
                    Context.Items[RetryAfterKey] = retryAfter;
                    return Fail(RateLimits.TooMany(retryAfter));
                }

                validation = await apiKeys.AuthenticateFromDatabaseAsync(credential, Context.RequestAborted);
            }
        }
        else
        {
            return Fail(ErrorCodes.InvalidToken, "The credential is neither an access token nor an API key.");
        }

        if (!validation.IsValid)
        {
            return Fail(validation.ErrorCode!, validation.ErrorDescription!);
        }

        var caller = validation.Caller!;
        Context.Items[CallerKey] = caller;
        // A remembered token hands back the same caller object: build its principal once.
        var principal = Principals.GetValue(caller, ToPrincipal);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// One scheme, three ways in: <c>Authorization: Bearer &lt;token or key&gt;</c>,
    /// <c>Authorization: &lt;key&gt;</c> and <c>X-API-Key: &lt;key&gt;</c>.
    /// </summary>
    private string? ReadCredential(out bool fromApiKeyHeader)
    {
        fromApiKeyHeader = false;
        var header = Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(header))
        {
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return header["Bearer ".Length..].Trim();
            }

            // A bare key, or an unsupported scheme (refused as an invalid credential).
            return header.Trim();
        }

        var apiKey = Request.Headers["X-API-Key"].ToString();
        if (!string.IsNullOrEmpty(apiKey))
        {
            fromApiKeyHeader = true;
            return apiKey.Trim();
        }

        return null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[FailureKey] as Error
            ?? new Error(ErrorCodes.Unauthenticated, "Authentication is required: send an access token as 'Authorization: Bearer <token>'.");
        if (Context.Items[RetryAfterKey] is int retryAfter)
        {
            Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problems.WriteAsync(Context, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, new Error(ErrorCodes.Forbidden, "You are not allowed to do this."));

    /// <summary>
    /// Hands the handler its one logger. The base class asks its factory for a logger on every
    /// request (a handler lives one request), and LoggerFactory.CreateLogger takes a lock.
    /// </summary>
    public sealed class LoggerSource(ILogger<BearerAuthenticationHandler> logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    /// <summary>The verified caller of this request (set by a successful authentication).</summary>
    public static CallerIdentityResult? GetCaller(HttpContext context) => context.Items[CallerKey] as CallerIdentityResult;

    private AuthenticateResult Fail(string code, string description) => Fail(new Error(code, description));

    private AuthenticateResult Fail(Error error)
    {
        Context.Items[FailureKey] = error;
        return AuthenticateResult.Fail(error.Message);
    }

    private static ClaimsPrincipal ToPrincipal(CallerIdentityResult caller)
    {
        var identity = caller.Identity;
        var claims = new List<Claim> { new("sub", identity.Subject), new("auth_method", identity.Method) };
        if (identity.ApiKeyId is { } keyId)
        {
            claims.Add(new Claim("api_key_id", keyId.ToString()));
        }

        claims.AddRange(identity.Scopes.Select(s => new Claim("scope", s)));
        if (caller.Role is not null)
        {
            claims.Add(new Claim("role", caller.Role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "sub", "role"));
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller; only call behind <c>[Authorize]</c>.</summary>
    public static CallerIdentity Caller(this HttpContext context) =>
        (BearerAuthenticationHandler.GetCaller(context) ?? throw new InvalidOperationException("No authenticated caller.")).Identity;

    public static Guid CallerUserId(this HttpContext context) =>
        context.Caller().UserId ?? throw new InvalidOperationException("The caller is not a user.");
}
