-- AlterEnum
ALTER TYPE "ChannelKind" ADD VALUE 'email';

-- AlterTable
ALTER TABLE "notification_channels" ADD COLUMN     "email_from" TEXT,
ADD COLUMN     "email_to" TEXT[] DEFAULT ARRAY[]::TEXT[];
