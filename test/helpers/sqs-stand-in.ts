import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

/** A SendMessage as it reached the stand-in: the queue it named, the body and attributes it carried. */
export interface ReceivedMessage {
  queueUrl: string;
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
}

/**
 * SQS's SendMessage over its JSON protocol (the one the SDK speaks), and nothing else: no npm
 * emulator of SQS exists, so this stands in for it to see what the adapter puts on the wire. It
 * answers as SQS does, with the MD5 of the body that the SDK checks.
 */
export async function startSqsStandIn(): Promise<{
  queueUrl: string;
  received: ReceivedMessage[];
  close(): Promise<void>;
}> {
  const received: ReceivedMessage[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSQS.SendMessage') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAction', message: String(target) }));
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        QueueUrl: string;
        MessageBody: string;
        MessageAttributes?: ReceivedMessage['attributes'];
      };
      received.push({
        queueUrl: input.QueueUrl,
        body: input.MessageBody,
        attributes: input.MessageAttributes ?? {},
      });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
        }),
      );
    });
  });
  const port = await listen(server);
  return {
    queueUrl: `http://127.0.0.1:${port}/000000000000/contact-screening-form`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that accepts connections and never answers: a queue that hangs. */
export async function startHangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/000000000000/contact-screening-form`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}
