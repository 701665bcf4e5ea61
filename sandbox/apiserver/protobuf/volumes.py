"""Descriptors of a pod Volume and every volume source it may hold.

`VolumeSource` is embedded in `Volume` (its fields sit beside `name`, as in JSON) and
every source is a pointer, so `emptyDir: {}` survives decoding. Field numbers are those
of k8s.io/api's `core/v1/generated.proto`; the grammar is described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Volume": "1 name, 2 ...:VolumeSource",
    "VolumeSource": (
        "1 hostPath?:HostPathVolumeSource, 2 emptyDir?:EmptyDirVolumeSource, "
        "3 gcePersistentDisk?:GCEPersistentDiskVolumeSource, "
        "4 awsElasticBlockStore?:AWSElasticBlockStoreVolumeSource, "
        "5 gitRepo?:GitRepoVolumeSource, 6 secret?:SecretVolumeSource, 7 nfs?:NFSVolumeSource, "
        "8 iscsi?:ISCSIVolumeSource, 9 glusterfs?:GlusterfsVolumeSource, "
        "10 persistentVolumeClaim?:PersistentVolumeClaimVolumeSource, 11 rbd?:RBDVolumeSource, "
        "12 flexVolume?:FlexVolumeSource, 13 cinder?:CinderVolumeSource, "
        "14 cephfs?:CephFSVolumeSource, 15 flocker?:FlockerVolumeSource, "
        "16 downwardAPI?:DownwardAPIVolumeSource, 17 fc?:FCVolumeSource, "
        "18 azureFile?:AzureFileVolumeSource, 19 configMap?:ConfigMapVolumeSource, "
        "20 vsphereVolume?:VsphereVirtualDiskVolumeSource, 21 quobyte?:QuobyteVolumeSource, "
        "22 azureDisk?:AzureDiskVolumeSource, "
        "23 photonPersistentDisk?:PhotonPersistentDiskVolumeSource, "
        "24 portworxVolume?:PortworxVolumeSource, 25 scaleIO?:ScaleIOVolumeSource, "
        "26 projected?:ProjectedVolumeSource, 27 storageos?:StorageOSVolumeSource, "
        "28 csi?:CSIVolumeSource, 29 ephemeral?:EphemeralVolumeSource, "
        "30 image?:ImageVolumeSource"
    ),
    "HostPathVolumeSource": "1 path, 2 type?",
    "EmptyDirVolumeSource": "1 medium, 2 sizeLimit?:quantity",
    "GCEPersistentDiskVolumeSource": "1 pdName, 2 fsType, 3 partition:int, 4 readOnly:bool",
    "AWSElasticBlockStoreVolumeSource": "1 volumeID, 2 fsType, 3 partition:int, 4 readOnly:bool",
    "GitRepoVolumeSource": "1 repository, 2 revision, 3 directory",
    "SecretVolumeSource": (
        "1 secretName, 2 items[]:KeyToPath, 3 defaultMode?:int, 4 optional?:bool"
    ),
    "NFSVolumeSource": "1 server, 2 path, 3 readOnly:bool",
    "ISCSIVolumeSource": (
        "1 targetPortal, 2 iqn, 3 lun:int, 4 iscsiInterface, 5 fsType, 6 readOnly:bool, "
        "7 portals[], 8 chapAuthDiscovery:bool, 10 secretRef?:LocalObjectReference, "
        "11 chapAuthSession:bool, 12 initiatorName?"
    ),
    "GlusterfsVolumeSource": "1 endpoints, 2 path, 3 readOnly:bool",
    "PersistentVolumeClaimVolumeSource": "1 claimName, 2 readOnly:bool",
    "RBDVolumeSource": (
        "1 monitors[], 2 image, 3 fsType, 4 pool, 5 user, 6 keyring, "
        "7 secretRef?:LocalObjectReference, 8 readOnly:bool"
    ),
    "FlexVolumeSource": (
        "1 driver, 2 fsType, 3 secretRef?:LocalObjectReference, 4 readOnly:bool, 5 options{}"
    ),
    "CinderVolumeSource": (
        "1 volumeID, 2 fsType, 3 readOnly:bool, 4 secretRef?:LocalObjectReference"
    ),
    "CephFSVolumeSource": (
        "1 monitors[], 2 path, 3 user, 4 secretFile, 5 secretRef?:LocalObjectReference, "
        "6 readOnly:bool"
    ),
    "FlockerVolumeSource": "1 datasetName, 2 datasetUUID",
    "DownwardAPIVolumeSource": "1 items[]:DownwardAPIVolumeFile, 2 defaultMode?:int",
    "FCVolumeSource": "1 targetWWNs[], 2 lun?:int, 3 fsType, 4 readOnly:bool, 5 wwids[]",
    "AzureFileVolumeSource": "1 secretName, 2 shareName, 3 readOnly:bool",
    "ConfigMapVolumeSource": (
        "1 ...:LocalObjectReference, 2 items[]:KeyToPath, 3 defaultMode?:int, 4 optional?:bool"
    ),
    "VsphereVirtualDiskVolumeSource": (
        "1 volumePath, 2 fsType, 3 storagePolicyName, 4 storagePolicyID"
    ),
    "QuobyteVolumeSource": "1 registry, 2 volume, 3 readOnly:bool, 4 user, 5 group, 6 tenant",
    "AzureDiskVolumeSource": (
        "1 diskName, 2 diskURI, 3 cachingMode?, 4 fsType?, 5 readOnly?:bool, 6 kind?"
    ),
    "PhotonPersistentDiskVolumeSource": "1 pdID, 2 fsType",
    "PortworxVolumeSource": "1 volumeID, 2 fsType, 3 readOnly:bool",
    "ScaleIOVolumeSource": (
        "1 gateway, 2 system, 3 secretRef?:LocalObjectReference, 4 sslEnabled:bool, "
        "5 protectionDomain, 6 storagePool, 7 storageMode, 8 volumeName, 9 fsType, "
        "10 readOnly:bool"
    ),
    "ProjectedVolumeSource": "1 sources[]:VolumeProjection, 2 defaultMode?:int",
    "StorageOSVolumeSource": (
        "1 volumeName, 2 volumeNamespace, 3 fsType, 4 readOnly:bool, "
        "5 secretRef?:LocalObjectReference"
    ),
    "CSIVolumeSource": (
        "1 driver, 2 readOnly?:bool, 3 fsType?, 4 volumeAttributes{}, "
        "5 nodePublishSecretRef?:LocalObjectReference"
    ),
    "EphemeralVolumeSource": "1 volumeClaimTemplate?:PersistentVolumeClaimTemplate",
    "ImageVolumeSource": "1 reference, 2 pullPolicy",
    "VolumeMountStatus": "1 name, 2 mountPath, 3 readOnly:bool, 4 recursiveReadOnly?",
    "KeyToPath": "1 key, 2 path, 3 mode?:int",
    "DownwardAPIVolumeFile": (
        "1 path, 2 fieldRef?:ObjectFieldSelector, 3 resourceFieldRef?:ResourceFieldSelector, "
        "4 mode?:int"
    ),
    "VolumeProjection": (
        "1 secret?:SecretProjection, 2 downwardAPI?:DownwardAPIProjection, "
        "3 configMap?:ConfigMapProjection, 4 serviceAccountToken?:ServiceAccountTokenProjection, "
        "5 clusterTrustBundle?:ClusterTrustBundleProjection"
    ),
    "PersistentVolumeClaimTemplate": "1 metadata:ObjectMeta, 2 spec:PersistentVolumeClaimSpec",
    "TypedLocalObjectReference": "1 apiGroup?, 2 kind, 3 name",
    "SecretProjection": "1 ...:LocalObjectReference, 2 items[]:KeyToPath, 4 optional?:bool",
    "DownwardAPIProjection": "1 items[]:DownwardAPIVolumeFile",
    "ConfigMapProjection": "1 ...:LocalObjectReference, 2 items[]:KeyToPath, 4 optional?:bool",
    "ServiceAccountTokenProjection": "1 audience, 2 expirationSeconds?:int, 3 path",
    "ClusterTrustBundleProjection": (
        "1 name?, 2 signerName?, 3 labelSelector?:LabelSelector, 4 path, 5 optional?:bool"
    ),
    "PersistentVolumeClaimSpec": (
        "1 accessModes[], 2 resources:VolumeResourceRequirements, 3 volumeName, "
        "4 selector?:LabelSelector, 5 storageClassName?, 6 volumeMode?, "
        "7 dataSource?:TypedLocalObjectReference, 8 dataSourceRef?:TypedObjectReference, "
        "9 volumeAttributesClassName?"
    ),
    "VolumeResourceRequirements": "1 limits{}:quantity, 2 requests{}:quantity",
    "TypedObjectReference": "1 apiGroup?, 2 kind, 3 name, 4 namespace?",
}
