// The media converter, shared by the connectors and the API. The daemon
// configures it once from `bridge.media` (configureMedia); until then the
// defaults apply: conversion on, cache in the system temp folder.
import { MediaConverter } from './convert.ts';
import { mediaSettings } from './settings.ts';
import type { MediaConfig } from '../config/sections/media.ts';

export { MediaConverter, type PreparedMedia, type MediaKind, type Thumbnail } from './convert.ts';
export { mediaSettings, type MediaSettings } from './settings.ts';
export { mediaToolReport, mediaToolCheck, chooseTools, type ToolChoice } from './tools.ts';
export { sniff, cafCodec, isAudioMessage, imageSize, type FileKind } from './detect.ts';

let shared: MediaConverter | null = null;

export function configureMedia(config: Partial<MediaConfig> | undefined, databasePath?: string): MediaConverter {
  shared = new MediaConverter(mediaSettings(config ?? {}, databasePath));
  return shared;
}

export function mediaConverter(): MediaConverter {
  return (shared ??= new MediaConverter(mediaSettings()));
}
