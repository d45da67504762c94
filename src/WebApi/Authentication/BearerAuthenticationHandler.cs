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
    private const string RetryAfterKey = "AuthPlatform.RetryAfter";
    private static readonly Task<AuthenticateResult> NoCredential = Task.FromResult(AuthenticateResult.NoResult());

    // A remembered credential hands back the same caller object: its principal and its successful
    // result are built once and handed out again, so that the hot path allocates none of them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CallerIdentityResult, Task<AuthenticateResult>> Successes = new();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.QueryString.HasValue)
        {
            // Credentials in URLs end up in logs and browser history (KEY-02, CL-04): refused outright.
            if (Request.Query.ContainsKey("api_key"))
            {
                return Task.FromResult(Fail(ErrorCodes.InvalidApiKey, "API keys are not accepted in the URL: send the key in a header."));
            }

            if (Request.Query.ContainsKey("access_token"))
            {
                return Task.FromResult(Fail(ErrorCodes.InvalidToken, "Access tokens are not accepted in the URL: send the token in the Authorization header."));
            }
        }

        if (!TryReadCredential(out var header, out var range, out var fromApiKeyHeader))
        {
            return NoCredential;
        }

        var credential = header.AsSpan(range);
        if (!fromApiKeyHeader && accessTokens.LooksLikeJwt(credential))
        {
            // A token verified lately is found by its text in the header itself: no copy, no await.
            return accessTokens.TryValidateRemembered(credential, out var remembered)
                ? Outcome(remembered)
                : ValidateTokenAsync(credential.ToString());
        }

        if (fromApiKeyHeader || apiKeys.LooksLikeApiKey(credential))
        {
            // Likewise a key verified (or found unknown) lately; only a key that needs the database becomes a string.
            return apiKeys.TryAuthenticateFromMemory(credential, out var validation)
                ? Outcome(validation)
                : AuthenticateKeyFromDatabaseAsync(range.Equals(Range.All) ? header : credential.ToString());
        }

        return Task.FromResult(Fail(ErrorCodes.InvalidToken, "The credential is neither an access token nor an API key."));
    }

    private async Task<AuthenticateResult> ValidateTokenAsync(string token) =>
        await Outcome(await accessTokens.ValidateAsync(token, Context.RequestAborted));

    /// <summary>Only a key that memory cannot answer costs a database read: on a budget per client address.</summary>
    private async Task<AuthenticateResult> AuthenticateKeyFromDatabaseAsync(string key)
    {
        if (await lookups.TryTakeAsync(Context) is { } retryAfter)
        {
            Context.Items[RetryAfterKey] = retryAfter;
            return Fail(RateLimits.TooMany(retryAfter));
        }

        return await Outcome(await apiKeys.AuthenticateFromDatabaseAsync(key, Context.RequestAborted));
    }

    private Task<AuthenticateResult> Outcome(TokenValidation validation) =>
        validation.IsValid
            ? Successes.GetValue(validation.Caller!, caller => Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(ToPrincipal(caller), SchemeName))))
            : Task.FromResult(Fail(validation.ErrorCode!, validation.ErrorDescription!));

    /// <summary>
    /// One scheme, three ways in: <c>Authorization: Bearer &lt;token or key&gt;</c>,
    /// <c>Authorization: &lt;key&gt;</c> and <c>X-API-Key: &lt;key&gt;</c>. The credential is
    /// <paramref name="range"/> of <paramref name="header"/>, without surrounding white space.
    /// </summary>
    private bool TryReadCredential(out string header, out Range range, out bool fromApiKeyHeader)
    {
        fromApiKeyHeader = false;
        header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            header = Request.Headers["X-API-Key"].ToString();
            fromApiKeyHeader = true;
        }

        if (header.Length == 0)
        {
            range = default;
            return false;
        }

        // "Bearer <token or key>"; otherwise a bare key, or an unsupported scheme (refused as an invalid credential).
        var start = !fromApiKeyHeader && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "Bearer ".Length : 0;
        var end = header.Length;
        while (start < end && char.IsWhiteSpace(header[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(header[end - 1]))
        {
            end--;
        }

        range = start == 0 && end == header.Length ? Range.All : start..end;
        return start < end;
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

    /// <summary>The verified caller of this request (set by a successful authentication), carried by its identity.</summary>
    public static CallerIdentityResult? GetCaller(HttpContext context)
    {
        foreach (var identity in context.User.Identities)
        {
            if (identity is CallerClaimsIdentity caller)
            {
                return caller.Caller;
            }
        }

        return null;
    }

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

        return new ClaimsPrincipal(new CallerClaimsIdentity(caller, claims));
    }

    /// <summary>The claims of a verified caller, and the caller itself (so no per-request state is needed to find it); a clone stays one.</summary>
    private sealed class CallerClaimsIdentity : ClaimsIdentity
    {
        public CallerClaimsIdentity(CallerIdentityResult caller, IEnumerable<Claim> claims)
            : base(claims, SchemeName, "sub", "role") => Caller = caller;

        private CallerClaimsIdentity(CallerClaimsIdentity other)
            : base(other) => Caller = other.Caller;

        public CallerIdentityResult Caller { get; }

        public override ClaimsIdentity Clone() => new CallerClaimsIdentity(this);
    }
}

/// <summary>
/// Marks an endpoint that needs a verified caller of any kind and checks for one itself, instead of
/// an authorization policy (GET /api/v1/auth/verify, the hot path): documented as secured all the same.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AuthenticatedCallerAttribute : Attribute;

public static class CallerExtensions
{
    /// <summary>The authenticated caller; only call behind <c>[Authorize]</c>.</summary>
    public static CallerIdentity Caller(this HttpContext context) =>
        (BearerAuthenticationHandler.GetCaller(context) ?? throw new InvalidOperationException("No authenticated caller.")).Identity;

    public static Guid CallerUserId(this HttpContext context) =>
        context.Caller().UserId ?? throw new InvalidOperationException("The caller is not a user.");
}
