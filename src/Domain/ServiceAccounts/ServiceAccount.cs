// Longer than 150 lines because creation, the secrets and deletion guard one set of invariants over private setters.
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ServiceAccounts;

/// <summary>
/// A non-human client of the API (SPEC section 5): it gets access tokens with the OAuth 2.0
/// client-credentials grant, authenticating with its public <see cref="ClientId"/> and one of its
/// secrets, or holds API keys of its own. Owned by the user who created it: the owner (and any
/// administrator) manages it. Its <see cref="Scopes"/> are a subset of its creator's, checked by
/// the use case first. It may have several secrets at once (so a secret can be rotated without
/// downtime) and, after all were deleted, none: it then gets no token until a secret is added,
/// while its API keys keep working. Deletion is final and kept as <see cref="DeletedAt"/>, so the
/// client id is never reused and a restarted server still refuses the account's last tokens.
/// </summary>
public sealed class ServiceAccount : AggregateRoot
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 500;
    public const int MaxScopes = 64;
    public const int MaxSecrets = 5;
    public const int MaxClientIdLength = 64;
    public const string ClientIdPrefix = "sa_";

    private readonly List<ClientSecret> _secrets = [];

    private ServiceAccount()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string? Description { get; private set; }

    /// <summary>The public identifier used at the token endpoint: <c>sa_</c> and random characters.</summary>
    public string ClientId { get; private set; } = string.Empty;

    /// <summary>The user who created it; it and administrators may manage it.</summary>
    public Guid OwnerId { get; private set; }

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<ClientSecret> Secrets => _secrets;

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>A new service account with its first secret (its hash only; the caller shows the secret once).</summary>
    public static ServiceAccount Create(
        Guid id,
        Guid ownerId,
        string name,
        string? description,
        string clientId,
        ScopeSet scopes,
        Guid secretId,
        string secretHash,
        DateTimeOffset? secretExpiresAt,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (id == Guid.Empty || ownerId == Guid.Empty)
        {
            throw new DomainException("A service account needs an id and an owner.");
        }

        Guard.Utc(now, nameof(now));
        Guard.NotBlank(clientId, nameof(clientId), MaxClientIdLength);
        if (!clientId.StartsWith(ClientIdPrefix, StringComparison.Ordinal) || clientId.Length < ClientIdPrefix.Length + 16)
        {
            throw new DomainException($"A service account's client id starts with '{ClientIdPrefix}' and holds at least 16 random characters.");
        }

        if (scopes.Count is 0 or > MaxScopes)
        {
            throw new DomainException($"A service account holds 1 to {MaxScopes} scopes.");
        }

        if (description is not null && description.Length > MaxDescriptionLength)
        {
            throw new DomainException($"A description is at most {MaxDescriptionLength} characters.");
        }

        var account = new ServiceAccount
        {
            Id = id,
            OwnerId = ownerId,
            Name = Guard.NotBlank(name, nameof(name), MaxNameLength).Trim(),
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            ClientId = clientId,
            Scopes = scopes,
            CreatedAt = now,
        };
        account._secrets.Add(ClientSecret.New(secretId, id, secretHash, secretExpiresAt, now));
        account.Raise(new ServiceAccountCreated(id, ownerId, clientId, secretId));
        return account;
    }

    /// <summary>
    /// Adds a secret; the others stay valid until deleted or expired. At most <see cref="MaxSecrets"/>
    /// at a time (expired ones count until deleted): the use case checks <see cref="CanAddSecret"/> first.
    /// </summary>
    public ClientSecret AddSecret(Guid secretId, string secretHash, DateTimeOffset? expiresAt, DateTimeOffset now, Guid actorId)
    {
        EnsureNotDeleted();
        if (!CanAddSecret)
        {
            throw new DomainException($"A service account has at most {MaxSecrets} secrets.");
        }

        if (_secrets.Any(s => s.Id == secretId))
        {
            throw new DomainException("A secret id is unique.");
        }

        var secret = ClientSecret.New(secretId, Id, secretHash, expiresAt, now);
        _secrets.Add(secret);
        Version++;
        Raise(new ServiceAccountSecretAdded(Id, OwnerId, ClientId, secretId, actorId));
        return secret;
    }

    public bool CanAddSecret => !IsDeleted && _secrets.Count < MaxSecrets;

    /// <summary>
    /// Deletes one secret: it authenticates nothing from now on. Tokens it obtained live until
    /// their expiry (they are not bound to a secret). False when the account has no such secret.
    /// </summary>
    public bool DeleteSecret(Guid secretId, Guid actorId)
    {
        EnsureNotDeleted();
        var secret = _secrets.FirstOrDefault(s => s.Id == secretId);
        if (secret is null)
        {
            return false;
        }

        _secrets.Remove(secret);
        Version++;
        Raise(new ServiceAccountSecretDeleted(Id, OwnerId, ClientId, secretId, actorId));
        return true;
    }

    /// <summary>
    /// Deletes the account for good: its secrets go, and <see cref="ServiceAccountDeleted"/> tells
    /// the token validator to refuse its tokens at once. Its API keys are deleted by the use case.
    /// </summary>
    public void Delete(Guid actorId, DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        EnsureNotDeleted();
        _secrets.Clear();
        DeletedAt = now;
        Version++;
        Raise(new ServiceAccountDeleted(Id, OwnerId, ClientId, actorId, now));
    }

    private void EnsureNotDeleted()
    {
        if (IsDeleted)
        {
            throw new DomainException("A deleted service account cannot change.");
        }
    }
}
