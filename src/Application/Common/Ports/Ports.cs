using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Security = AuthPlatform.Application.Common.Security;

namespace AuthPlatform.Application.Common.Ports;

public interface IUserRepository
{
    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>The user with their recovery codes loaded (2FA use cases only).</summary>
    Task<User?> FindByIdWithRecoveryCodesAsync(Guid id, CancellationToken cancellationToken);

    Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed attempt with one atomic update in the database (the rules of
    /// <see cref="User.RecordFailedLogin"/>), so that parallel failures all count; refreshes the
    /// user's counters and returns true when this failure locked the account.
    /// </summary>
    Task<bool> RecordFailedLoginAsync(User user, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    void Add(User user);
}

public interface IRefreshTokenFamilyRepository
{
    /// <summary>The family a token hash belongs to, loaded with that one token only.</summary>
    Task<RefreshTokenFamily?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    Task<RefreshTokenFamily?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<RefreshTokenFamily>> ListActiveForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a family with one conditional update (whatever its version), so that a refresh
    /// racing the revocation can never win over it; the refresh then finds its version changed.
    /// True when this call revoked it.
    /// </summary>
    Task<bool> RevokeAsync(Guid familyId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every live family of a user but one, the same way; returns how many.</summary>
    Task<int> RevokeAllForUserAsync(Guid userId, Guid? exceptFamilyId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    void Add(RefreshTokenFamily family);
}

/// <summary>Thrown by <see cref="IUnitOfWork.SaveChangesAsync"/> when another writer changed the same aggregate first.</summary>
public sealed class ConcurrencyConflictException(string message, Exception inner) : Exception(message, inner);

public interface IUnitOfWork
{
    Task<IAsyncDisposable> BeginTransactionAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);

    /// <exception cref="ConcurrencyConflictException">another writer saved the same aggregate first.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked change (after a conflict, before reloading).</summary>
    void DiscardChanges();
}

/// <summary>Writes audit events in the command's own transaction and to the log.</summary>
public interface IAuditLog
{
    void Record(string type, Guid? userId, string? details = null, Guid? actorId = null, string? clientId = null);
}

/// <summary>Where the current request comes from.</summary>
public interface IClientContext
{
    string? IpAddress { get; }

    string? UserAgent { get; }

    /// <summary>A current TOTP code sent as step-up proof (<c>X-2FA-Code</c>), if any.</summary>
    string? SecondFactorCode { get; }
}

public enum PasswordCheck
{
    Failed,
    Success,
    /// <summary>Right password, but the hash is weaker than the current settings: store a new one.</summary>
    SuccessRehashNeeded,
}

/// <summary>The slow hash for human-chosen secrets (passwords, recovery codes).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordCheck Verify(string hash, string password);

    /// <summary>Spends the time of one verification on nothing, so an unknown email answers as slowly as a wrong password.</summary>
    void VerifyAgainstDummy(string password);
}

/// <summary>A list of common and breached passwords shipped with the product (NIST SP 800-63B 3.1.1.2).</summary>
public interface ICommonPasswordList
{
    bool Contains(string password);
}

/// <summary>Generates and hashes high-entropy secrets (refresh tokens): a fast SHA-256 suffices for them.</summary>
public interface ISecretGenerator
{
    /// <summary>A URL-safe random secret of <paramref name="bytes"/> bytes from a CSPRNG.</summary>
    string NewSecret(int bytes = 32);

    string Hash(string secret);
}

public sealed record AccessTokenRequest(
    Guid UserId,
    Guid SessionId,
    IReadOnlyCollection<string> Scopes,
    IReadOnlyCollection<string> AuthenticationMethods,
    DateTimeOffset AuthenticatedAt,
    string Role,
    string? ClientId = null);

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>Signs JWT access tokens with the current signing key.</summary>
public interface IAccessTokenIssuer
{
    Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken);
}

/// <summary>The scopes the operator has configured beside the built-in ones.</summary>
public interface IScopeCatalog
{
    IReadOnlyList<string> OperatorScopes { get; }

    bool IsKnown(string scope);
}

/// <summary>Thrown by <see cref="IUnitOfWork.SaveChangesAsync"/> when a unique index refuses a row (a race the handler's check lost).</summary>
public sealed class DuplicateKeyException(string message, Exception inner) : Exception(message, inner);

/// <summary>Runs work after the current transaction commits (cache invalidation, key-ring reloads).</summary>
public interface IAfterCommit
{
    void Enqueue(Func<CancellationToken, Task> action);
}

public sealed record TokenValidation(CallerIdentityResult? Caller, string? ErrorCode, string? ErrorDescription)
{
    public bool IsValid => Caller is not null;
}

/// <summary>The verified content of a credential.</summary>
public sealed record CallerIdentityResult(Security.CallerIdentity Identity, string? Role);

/// <summary>Validates JWT access tokens against the published signing keys; no database read.</summary>
public interface IAccessTokenValidator
{
    /// <summary>Cheap shape test: three base64url segments.</summary>
    bool LooksLikeJwt(string token);

    Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken);
}

/// <summary>The public half of the signing keys, as a JWKS document.</summary>
public interface IPublishedKeys
{
    string JwksJson { get; }
}

/// <summary>Verifies API keys (shape, checksum, then memory or the database).</summary>
public interface IApiKeyAuthenticator
{
    /// <summary>Cheap test: the credential starts with our key prefix, so it is judged as an API key.</summary>
    bool LooksLikeApiKey(string credential);

    Task<TokenValidation> AuthenticateAsync(string key, CancellationToken cancellationToken);
}
