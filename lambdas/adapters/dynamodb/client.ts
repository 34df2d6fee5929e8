import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The one DynamoDB client of this process, created on first use and reused across invocations.
 * DYNAMODB_ENDPOINT points it at dynalite locally; in AWS it is unset.
 */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
    documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: AWS_REGION,
        ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  }
  return documentClient;
}
