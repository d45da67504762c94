using AuthPlatform.Domain.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasMaxLength(64);
        builder.Property(k => k.Algorithm).HasMaxLength(16);
        builder.Property(k => k.PublicJwk).HasMaxLength(4096);
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(16384);
    }
}
