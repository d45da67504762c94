using AuthPlatform.Application.ApiKeys;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.ApiKeys;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.HasIndex(k => k.OwnerId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(k => k.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength).IsRequired();
        builder.Property(k => k.KeyPrefix).HasMaxLength(64).IsRequired();
        builder.Property(k => k.KeyHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.Property(k => k.Permissions).HasMaxLength(4096).IsRequired();
        builder.Property(k => k.Version).IsConcurrencyToken();
        builder.Ignore(k => k.PermissionList);
    }
}

public sealed class ApiKeyRepository(AuthDbContext db) : IApiKeyRepository
{
    public Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    public void Add(ApiKey key) => db.ApiKeys.Add(key);

    public void Remove(ApiKey key) => db.ApiKeys.Remove(key);
}

public sealed class ApiKeyReader(AuthDbContext db) : IApiKeyReader
{
    public async Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken)
    {
        var keys = db.ApiKeys.AsNoTracking();
        if (ownerId is { } owner)
        {
            keys = keys.Where(k => k.OwnerId == owner);
        }

        var rows = await keys
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new { k.Id, k.OwnerId, k.Name, k.KeyPrefix, k.Permissions, k.ExpiresAt, k.CreatedAt, k.LastUsedAt, k.RevokedAt })
            .ToListAsync(cancellationToken);
        return rows
            .Select(k => new ApiKeyResponse(
                k.Id, k.OwnerId, k.Name, k.KeyPrefix, k.Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.ExpiresAt, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToList();
    }
}
