using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// A single-use recovery code. Its <see cref="Locator"/> (the first group, not secret) picks the
/// row; only a slow hash of the secret part is stored.
/// </summary>
public sealed class RecoveryCode
{
    private RecoveryCode()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Locator { get; private set; } = string.Empty;

    public string CodeHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static RecoveryCode Create(Guid id, Guid userId, string locator, string codeHash, DateTimeOffset now) => new()
    {
        Id = id,
        UserId = userId,
        Locator = Guard.NotBlank(locator, nameof(locator), 16),
        CodeHash = Guard.NotBlank(codeHash, nameof(codeHash), 1024),
        CreatedAt = now,
    };
}
